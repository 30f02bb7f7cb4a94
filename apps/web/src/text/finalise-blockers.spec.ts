import type { ClauseView } from '@parley/contracts';
import { finaliseBlockers, mayFinalise } from './finalise-blockers';

const parties = [
  { id: 'north', name: 'North' },
  { id: 'south', name: 'South' },
];

function clause(n: number, over: Partial<ClauseView> = {}): ClauseView {
  return {
    id: `c${n}`,
    number: n,
    heading: null,
    text: 'The parties observe a ceasefire.',
    rendered: 'The parties observe a ceasefire.',
    segments: [],
    version: 1,
    state: 'open',
    marks: [],
    ...over,
  };
}

const agreed = (n: number) =>
  clause(n, {
    state: 'agreed',
    marks: [
      { partyId: 'north', level: 'agreed' },
      { partyId: 'south', level: 'agreed' },
    ],
  });

const segment = (id: string, options: string[]) => ({
  id,
  options: options.map((text, i) => ({ id: String.fromCharCode(65 + i), text, supportedBy: [] })),
});

describe('finaliseBlockers', () => {
  it('names every party of a clause nobody marked, in the session’s order', () => {
    const b = finaliseBlockers([clause(1)], parties);
    expect(b.clauses).toEqual([
      {
        clauseId: 'c1',
        number: 1,
        openBrackets: 0,
        parties: [
          { partyId: 'north', name: 'North', mark: 'none' },
          { partyId: 'south', name: 'South', mark: 'none' },
        ],
      },
    ]);
    expect(mayFinalise(b)).toBe(false);
  });

  it('says who agreed only ad referendum and leaves out who agreed', () => {
    const c = clause(2, {
      state: 'open',
      marks: [
        { partyId: 'south', level: 'ad_referendum' },
        { partyId: 'north', level: 'agreed' },
      ],
    });
    expect(finaliseBlockers([agreed(1), c], parties).clauses).toEqual([
      { clauseId: 'c2', number: 2, openBrackets: 0, parties: [{ partyId: 'south', name: 'South', mark: 'ad_referendum' }] },
    ]);
  });

  it('a clause agreed ad referendum by every party still blocks, naming both', () => {
    const c = clause(1, {
      state: 'agreed_ad_referendum',
      marks: [
        { partyId: 'north', level: 'ad_referendum' },
        { partyId: 'south', level: 'ad_referendum' },
      ],
    });
    expect(finaliseBlockers([c], parties).clauses[0].parties.map((p) => `${p.name}:${p.mark}`)).toEqual([
      'North:ad_referendum',
      'South:ad_referendum',
    ]);
  });

  it('counts the open brackets of a bracketed clause, and names no party (none can mark it yet)', () => {
    const c = clause(3, { state: 'bracketed', segments: [segment('s1', ['five years', 'ten years']), segment('s2', ['quarterly'])] });
    expect(finaliseBlockers([agreed(1), agreed(2), c], parties).clauses).toEqual([
      { clauseId: 'c3', number: 3, openBrackets: 2, parties: [] },
    ]);
  });

  it('lists the blocking clauses in the text’s order', () => {
    const b = finaliseBlockers([clause(1), agreed(2), clause(3, { state: 'bracketed', segments: [segment('s', ['x'])] })], parties);
    expect(b.clauses.map((c) => c.number)).toEqual([1, 3]);
  });

  it('allows finalising when every clause is agreed by every party', () => {
    const b = finaliseBlockers([agreed(1), agreed(2)], parties);
    expect(b).toEqual({ empty: false, clauses: [] });
    expect(mayFinalise(b)).toBe(true);
  });

  it('does not allow finalising a text with no clause', () => {
    const b = finaliseBlockers([], parties);
    expect(b).toEqual({ empty: true, clauses: [] });
    expect(mayFinalise(b)).toBe(false);
  });
});
