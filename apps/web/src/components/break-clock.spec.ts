import { breakClock, mmss } from './break-clock';

describe('breakClock', () => {
  const start = Date.parse('2026-12-01T15:00:00.000Z');
  const endsAt = new Date(start + 10 * 60_000).toISOString();

  it('counts down in mm:ss, second by second, rounding up', () => {
    expect(breakClock(endsAt, start)).toEqual({ kind: 'counting', secondsLeft: 600, text: '10:00' });
    expect(breakClock(endsAt, start + 1)).toEqual({ kind: 'counting', secondsLeft: 600, text: '10:00' });
    expect(breakClock(endsAt, start + 1000)).toEqual({ kind: 'counting', secondsLeft: 599, text: '09:59' });
    expect(breakClock(endsAt, start + 9 * 60_000 + 55_000)).toEqual({ kind: 'counting', secondsLeft: 5, text: '00:05' });
    expect(breakClock(endsAt, start + 10 * 60_000 - 300)).toEqual({ kind: 'counting', secondsLeft: 1, text: '00:01' });
  });

  it('says the talks are resuming soon once the announced end has passed (never a negative time)', () => {
    expect(breakClock(endsAt, start + 10 * 60_000)).toEqual({ kind: 'resuming_soon' });
    expect(breakClock(endsAt, start + 10 * 60_000 + 1)).toEqual({ kind: 'resuming_soon' });
    expect(breakClock(endsAt, start + 3 * 3_600_000)).toEqual({ kind: 'resuming_soon' });
  });

  it('has nothing to count when no length was announced (or the end cannot be read)', () => {
    expect(breakClock(null, start)).toEqual({ kind: 'no_end' });
    expect(breakClock('not a date', start)).toEqual({ kind: 'no_end' });
  });
});

describe('mmss', () => {
  it.each([
    [0, '00:00'],
    [1, '00:01'],
    [59, '00:59'],
    [60, '01:00'],
    [65, '01:05'],
    [3599, '59:59'],
    [3600, '60:00'],
    [7500, '125:00'],
    [-4, '00:00'],
    [61.9, '01:01'],
  ])('%s s reads %s', (s, text) => {
    expect(mmss(s)).toBe(text);
  });
});
