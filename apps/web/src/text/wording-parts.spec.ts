import { MAX_OPTIONS, MAX_SEGMENTS, parseWording, render } from '@parley/agreement/domain/wording';
import type { WordingInput } from '@parley/contracts';
import {
  addOption,
  bracket,
  hasLiteralBracket,
  isRefusal,
  normalise,
  openBracketAt,
  partsFromClause,
  partsFromWording,
  problem,
  renderParts,
  setOptionText,
  setText,
  strikeOption,
  toWordingInput,
  unbracket,
  type Part,
} from './wording-parts';

const PARTIES = ['north', 'south'];
let n = 0;
const newId = () => `seg-${++n}-0000-uuid`;
/** A clause as the server stores it, from a client's wording. */
const stored = (w: WordingInput) => parseWording(w, PARTIES, newId);
const noBraces = (parts: Part[]) =>
  expect(JSON.stringify(parts.map((p) => (p.kind === 'text' ? p.text : p.options.map((o) => o.text))))).not.toMatch(/\{\{|\}\}/);

const clauseInput: WordingInput = {
  text: 'The parties agree that {{1}} the line shall follow {{2}} for {{3}}.',
  segments: [
    { options: [{ text: 'within a month', supportedBy: ['north'] }] },
    {
      options: [
        { text: 'the river', supportedBy: ['north'] },
        { text: 'the ridge', supportedBy: ['south'] },
      ],
    },
    { options: [{ text: 'five years' }, { text: 'ten years' }, { text: 'until further notice' }] },
  ],
};

describe('wording parts: to and from the server’s forms', () => {
  it('a stored clause becomes parts without any placeholder, and back into wording the server parses to the same rendering', () => {
    const c = stored(clauseInput);
    const parts = partsFromClause(c);
    noBraces(parts);
    expect(parts.map((p) => p.kind)).toEqual(['text', 'segment', 'text', 'segment', 'text', 'segment', 'text']);
    expect(parts[3]).toMatchObject({
      kind: 'segment',
      id: c.segments[1].id,
      options: [
        { id: 'A', text: 'the river' },
        { id: 'B', text: 'the ridge' },
      ],
    });
    expect(renderParts(parts)).toBe(render(c));

    const input = toWordingInput(parts);
    expect(input.text).toBe('The parties agree that {{1}} the line shall follow {{2}} for {{3}}.');
    const again = parseWording(input, PARTIES, newId);
    expect(render(again)).toBe(render(c));
    // Support of unchanged options is kept (the server takes supporters from the input).
    expect(again.segments.map((s) => s.options.map((o) => o.supportedBy))).toEqual([[['north']], [['north'], ['south']], [[], [], []]]);
  });

  it('a client wording ({{n}}) round-trips, and a placeholder naming no segment is dropped rather than shown', () => {
    const parts = partsFromWording(clauseInput);
    expect(toWordingInput(parts, { keepSupport: false })).toEqual({
      text: clauseInput.text,
      segments: clauseInput.segments!.map((s) => ({ options: s.options.map((o) => ({ text: o.text })) })),
    });
    const stray = partsFromWording({ text: 'a {{1}} b {{7}} c', segments: [{ options: [{ text: 'x' }] }] });
    noBraces(stray);
    expect(renderParts(stray)).toBe('a [x] b  c');
  });

  it('a clause with no segment is one plain part and plain wording back', () => {
    const c = stored({ text: 'Plain words only.' });
    expect(partsFromClause(c)).toEqual([{ kind: 'text', text: 'Plain words only.' }]);
    expect(toWordingInput(partsFromClause(c))).toEqual({ text: 'Plain words only.' });
  });

  it('a segment at either edge or two side by side keep their order', () => {
    const c = stored({
      text: '{{1}}{{2}} middle {{3}}',
      segments: [{ options: [{ text: 'a' }] }, { options: [{ text: 'b' }] }, { options: [{ text: 'c' }] }],
    });
    const parts = partsFromClause(c);
    expect(parts.map((p) => p.kind)).toEqual(['segment', 'segment', 'text', 'segment']);
    expect(render(parseWording(toWordingInput(parts), PARTIES, newId))).toBe('[a][b] middle [c]');
  });

  it('support is dropped from an option whose wording changed, and kept when it reads the same again', () => {
    const parts = partsFromClause(stored(clauseInput));
    const changed = setOptionText(parts, 3, 0, 'the old river');
    expect(toWordingInput(changed).segments![1].options).toEqual([
      { text: 'the old river' },
      { text: 'the ridge', supportedBy: ['south'] },
    ]);
    const back = setOptionText(changed, 3, 0, 'the  river ');
    expect(toWordingInput(back).segments![1].options[0]).toEqual({ text: 'the  river ', supportedBy: ['north'] });
  });
});

describe('wording parts: bracket', () => {
  const plain: Part[] = [{ kind: 'text', text: 'The term is five years from signature.' }];
  const at = (part: number, offset: number) => ({ part, offset });

  it('brackets the selected words; spaces at the selection’s edges stay outside', () => {
    const from = plain[0].kind === 'text' ? plain[0].text.indexOf('five') : 0;
    const r = bracket(plain, at(0, from - 1), at(0, from + 'five years '.length), 'bracket');
    if (isRefusal(r)) throw new Error(r.refused);
    expect(r.parts).toEqual([
      { kind: 'text', text: 'The term is ' },
      { kind: 'segment', options: [{ text: 'five years' }] },
      { kind: 'text', text: ' from signature.' },
    ]);
    expect(r.at).toBe(1);
    expect(renderParts(r.parts)).toBe('The term is [five years] from signature.');
    expect(render(parseWording(toWordingInput(r.parts), PARTIES, newId))).toBe('The term is [five years] from signature.');
  });

  it('alternatives: Alt. A is the selection, Alt. B empty to be written; a backwards selection is the same', () => {
    const r = bracket(plain, at(0, 22), at(0, 12), 'alternatives');
    if (isRefusal(r)) throw new Error(r.refused);
    expect(r.parts[1]).toEqual({ kind: 'segment', options: [{ text: 'five years' }, { text: '' }] });
    expect(problem(r.parts)).toBe('emptyOption');
    const written = setOptionText(r.parts, 1, 1, 'ten years');
    expect(problem(written)).toBeNull();
    expect(renderParts(written)).toBe('The term is [A: five years | B: ten years] from signature.');
    expect(renderParts(written, { option: (l) => `Alt. ${l}: `, separator: ' / ' })).toBe(
      'The term is [Alt. A: five years / Alt. B: ten years] from signature.',
    );
  });

  it('the whole part, or a selection at its very start, leaves no empty plain part', () => {
    const r = bracket([{ kind: 'text', text: 'all of it' }], at(0, 0), at(0, 9), 'bracket');
    if (isRefusal(r)) throw new Error(r.refused);
    expect(r.parts).toEqual([{ kind: 'segment', options: [{ text: 'all of it' }] }]);
    expect(toWordingInput(r.parts)).toEqual({ text: '{{1}}', segments: [{ options: [{ text: 'all of it' }] }] });
  });

  it('refuses, without throwing: nothing or only spaces selected, a selection over a segment or across two parts, a full clause', () => {
    const parts = partsFromClause(stored(clauseInput));
    expect(bracket(plain, at(0, 5), at(0, 5), 'bracket')).toEqual({ refused: 'empty' });
    expect(bracket([{ kind: 'text', text: 'a   b' }], at(0, 1), at(0, 4), 'bracket')).toEqual({ refused: 'empty' });
    expect(bracket(parts, at(0, 4), at(2, 3), 'bracket')).toEqual({ refused: 'crosses' });
    expect(bracket(parts, at(1, 0), at(1, 0), 'bracket')).toEqual({ refused: 'crosses' });
    expect(bracket(parts, at(0, 2), at(4, 1), 'alternatives')).toEqual({ refused: 'crosses' });
    // From plain wording to inside the next segment (the read view's offset 1), either way round.
    expect(bracket(parts, at(0, 0), at(1, 1), 'bracket')).toEqual({ refused: 'crosses' });
    expect(bracket(parts, at(1, 1), at(0, 5), 'bracket')).toEqual({ refused: 'crosses' });
    expect(bracket(parts, at(99, 0), at(99, 3), 'bracket')).toEqual({ refused: 'empty' });
    const full: Part[] = [];
    for (let i = 0; i < MAX_SEGMENTS; i++) full.push({ kind: 'text', text: ' and ' }, { kind: 'segment', options: [{ text: `s${i}` }] });
    full.push({ kind: 'text', text: ' more words' });
    expect(bracket(full, at(full.length - 1, 1), at(full.length - 1, 5), 'bracket')).toEqual({ refused: 'full' });
  });

  it('a selection ending at the very start of the next part is within one part', () => {
    const parts: Part[] = [
      { kind: 'text', text: 'one two ' },
      { kind: 'segment', options: [{ text: 'x' }] },
    ];
    const r = bracket(parts, at(0, 4), at(1, 0), 'bracket');
    if (isRefusal(r)) throw new Error(r.refused);
    expect(renderParts(r.parts)).toBe('one [two] [x]');
  });

  it('the "[" offer: removes the typed [ and opens an empty bracket there', () => {
    const r = openBracketAt([{ kind: 'text', text: 'for [ years' }], 0, 5, 1);
    if (isRefusal(r)) throw new Error(r.refused);
    expect(r.parts).toEqual([
      { kind: 'text', text: 'for ' },
      { kind: 'segment', options: [{ text: '' }] },
      { kind: 'text', text: ' years' },
    ]);
    expect(r.at).toBe(1);
    expect(openBracketAt(r.parts, 1, 0)).toEqual({ refused: 'crosses' });
  });
});

describe('wording parts: options and unbracketing', () => {
  const clause = stored(clauseInput);
  const parts = (): Part[] => partsFromClause(clause);

  it('adds an option up to the limit; strikes one and the later ones move up a letter; never strikes the last', () => {
    let p = addOption(parts(), 5);
    expect(p[5]).toMatchObject({
      options: [{ text: 'five years' }, { text: 'ten years' }, { text: 'until further notice' }, { text: '' }],
    });
    for (let i = 0; i < 10; i++) p = addOption(p, 5);
    expect(p[5].kind === 'segment' && p[5].options.length).toBe(MAX_OPTIONS);
    const struck = strikeOption(parts(), 5, 0);
    expect(struck[5]).toMatchObject({
      options: [
        { id: 'A', text: 'ten years' },
        { id: 'B', text: 'until further notice' },
      ],
    });
    expect(strikeOption(parts(), 1, 0)).toEqual(parts());
    expect(addOption(parts(), 0)).toEqual(parts());
  });

  it('unbracket puts the first option back as plain wording, merged with its neighbours', () => {
    const p = unbracket(parts(), 3);
    expect(renderParts(p)).toBe(
      'The parties agree that [within a month] the line shall follow the river for [A: five years | B: ten years | C: until further notice].',
    );
    expect(p.map((x) => x.kind)).toEqual(['text', 'segment', 'text', 'segment', 'text']);
  });

  it('setText, normalise, hasLiteralBracket, problem', () => {
    const p = setText(parts(), 0, '');
    expect(normalise(p)[0].kind).toBe('segment');
    expect(hasLiteralBracket(p)).toBe(false);
    expect(hasLiteralBracket(setText(p, 2, 'a [b] c'))).toBe(true);
    expect(problem([{ kind: 'text', text: '  ' }])).toBe('empty');
    expect(problem([{ kind: 'segment', options: [{ text: 'x' }] }])).toBeNull();
  });
});

describe('wording parts: long clauses', () => {
  it('a 10,000-character clause with 20 segments round-trips quickly (linear work)', () => {
    const segments = Array.from({ length: MAX_SEGMENTS }, (_, i) => ({ options: [{ text: `option ${i} a` }, { text: `option ${i} b` }] }));
    const filler = 'word '.repeat(95); // 475 characters between segments
    let text = '';
    segments.forEach((_, i) => (text += `${filler}{{${i + 1}}} `));
    text += 'end.';
    const input = { text, segments };
    const started = performance.now();
    const parts = partsFromWording(input);
    const r = bracket(parts, { part: 0, offset: 0 }, { part: 0, offset: 4 }, 'bracket');
    const edited = setText(parts, parts.length - 1, ' the end.');
    const out = toWordingInput(edited);
    const shown = renderParts(edited);
    const elapsed = performance.now() - started;
    expect(r).toEqual({ refused: 'full' });
    expect(renderParts(parts).length).toBeGreaterThan(10_000);
    expect(out.segments).toHaveLength(MAX_SEGMENTS);
    expect(shown.endsWith(' the end.')).toBe(true);
    expect(elapsed).toBeLessThan(500);
  });
});
