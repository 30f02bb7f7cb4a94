import { PARTY_COLOURS, partyMark } from './party-mark';

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe('partyMark', () => {
  const parties = [
    { id: 'n', name: 'North' },
    { id: 's', name: 'south' },
    { id: 'e', name: 'Égée' },
  ];

  it('gives each party the colour of its place in the order, and its initial', () => {
    expect(partyMark(parties, 'n')).toEqual({ colour: PARTY_COLOURS[0], initial: 'N', position: 1 });
    expect(partyMark(parties, 's')).toEqual({ colour: PARTY_COLOURS[1], initial: 'S', position: 2 });
    expect(partyMark(parties, 'e')?.initial).toBe('É');
    expect(partyMark(parties, null)).toBeNull();
    expect(partyMark(parties, 'unknown')).toBeNull();
  });

  it('is the same whatever else changes (the order alone decides)', () => {
    expect(partyMark([...parties, { id: 'w', name: 'West' }], 's')).toEqual(partyMark(parties, 's'));
  });

  it('keeps white text readable on every colour (4.5:1)', () => {
    for (const c of PARTY_COLOURS) expect(1.05 / (luminance(c) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});
