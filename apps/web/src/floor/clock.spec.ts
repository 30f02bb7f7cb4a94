import { clockStep, durationOf, formatClock, sameStep } from './clock';
import { floorAr, floorEn, floorFr, floorText } from './floor.messages';

describe('the clock', () => {
  it('shows m:ss, and h:mm:ss from an hour, never below zero', () => {
    expect(formatClock(120)).toBe('2:00');
    expect(formatClock(59)).toBe('0:59');
    expect(formatClock(3600 + 61)).toBe('1:01:01');
    expect(formatClock(-3)).toBe('0:00');
  });

  it('speaks at coarse steps only: whole minutes, 30 s, 10 s, time up', () => {
    const steps = [125, 121, 120, 61, 60, 31, 30, 11, 10, 1, 0].map(clockStep);
    expect(steps).toEqual([
      { kind: 'minutes', n: 3 },
      { kind: 'minutes', n: 3 },
      { kind: 'minutes', n: 2 },
      { kind: 'minutes', n: 2 },
      { kind: 'minutes', n: 1 },
      { kind: 'minutes', n: 1 },
      { kind: 'seconds', n: 30 },
      { kind: 'seconds', n: 30 },
      { kind: 'seconds', n: 10 },
      { kind: 'seconds', n: 10 },
      { kind: 'up' },
    ]);
    // Over two minutes the region changes 5 times (2 min, 1 min, 30 s, 10 s, up), not 120.
    let changes = 0;
    for (let s = 120; s >= 0; s--) if (!sameStep(clockStep(s), clockStep(s + 1))) changes++;
    expect(changes).toBe(5);
  });

  it('takes minutes:seconds from 1 s to 24 h', () => {
    expect(durationOf('2', '')).toBe(120);
    expect(durationOf('', '45')).toBe(45);
    expect(durationOf('0', '0')).toBeNull();
    expect(durationOf('1440', '0')).toBe(86_400);
    expect(durationOf('1440', '1')).toBeNull();
    expect(durationOf('1', '60')).toBeNull();
    expect(durationOf('1.5', '0')).toBeNull();
    expect(durationOf('-1', '0')).toBeNull();
  });
});

describe("the floor's sentences", () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  it.each([
    ['fr', floorFr],
    ['ar', floorAr],
  ] as const)('%s has every key of English, with the same placeholders, none empty', (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(floorEn).sort());
    for (const key of Object.keys(floorEn) as Array<keyof typeof floorEn>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(floorEn[key]) });
      expect(cat[key].trim()).not.toBe('');
    }
  });
  it('fills names in the reader’s language', () => {
    expect(floorText('en', 'floor.lowerOfAria', { name: 'Ana' })).toBe('Lower the hand of Ana');
    expect(floorText('ar', 'floor.raise')).toBe('رفع اليد');
  });
});
