import { MAX_SEGMENTS } from '@parley/agreement/domain/wording';
import { optionsOf, passageBrackets, passageOf } from './draft-passage';
import { partsFromWording, renderParts } from './wording-parts';

describe('the passage taken from the draft', () => {
  const draft = '  The concession runs for five years.\nIt may be renewed once.  ';

  it.each([
    ['a selection: its words, trimmed', 5, 30, { text: 'concession runs for five', selected: true }],
    ['a selection made backwards', 30, 5, { text: 'concession runs for five', selected: true }],
    ['no selection: the whole draft, trimmed', 10, 10, { text: draft.trim(), selected: false }],
    ['a selection of spaces only: the whole draft', 0, 2, { text: draft.trim(), selected: false }],
    ['positions past the end', 70, 90, { text: draft.trim(), selected: false }],
  ])('%s', (_, start, end, expected) => {
    expect(passageOf(draft, start, end)).toEqual(expected);
  });

  it('an empty draft gives an empty passage', () => {
    expect(passageOf('   ', 0, 0)).toEqual({ text: '', selected: false });
  });
});

describe('square brackets typed as text, read as brackets and alternatives', () => {
  it.each([
    ['five years', ['five years']],
    [' five years ', ['five years']],
    ['five years / ten years', ['five years', 'ten years']],
    ['shall/may', ['shall', 'may']],
    ['a / b / c', ['a', 'b', 'c']],
    ['A: five years | B: ten years', ['five years', 'ten years']],
    ['Alt. A: five years / Alt. B: ten years', ['five years', 'ten years']],
    ['Var. A : cinq ans / Var. B : dix ans', ['cinq ans', 'dix ans']],
    ['بديل أ: خمس سنوات / بديل ب: عشر سنوات', ['خمس سنوات', 'عشر سنوات']],
    ['خمس سنوات / عشر سنوات', ['خمس سنوات', 'عشر سنوات']],
    ['a) the buyer / b) the seller', ['the buyer', 'the seller']],
    // Labels only when every option has its own letter in order: otherwise the wording is kept whole.
    ['B: ten years / A: five years', ['B: ten years', 'A: five years']],
    ['and/or', ['and', 'or']],
    ['five years/ten years', ['five years', 'ten years']],
    ['Article 3/2 of the treaty', ['Article 3/2 of the treaty']],
    ['the Party of the first part / and/or its assigns', ['the Party of the first part', 'and/or its assigns']],
  ])('[%s] → %j', (inside, options) => {
    expect(optionsOf(inside)).toEqual(options);
  });

  it.each([
    ['1', 'a reference'],
    ['…', 'an elision'],
    ['...', 'an elision'],
    ['2026', 'a year'],
    ['24/7', 'numbers'],
    ['sic', 'sic'],
    ['SIC', 'sic'],
    ['', 'nothing'],
    ['   ', 'spaces'],
    ['a {{1}} b', 'braces'],
    ['first line\nsecond line', 'a line break'],
    ['five years / ', 'an empty option'],
    ['five years /', 'an empty option'],
    ['/ten years', 'an empty option'],
    ['five years |', 'an empty option'],
    ['a / b / c / d / e / f / g / h / i', 'nine options'],
    [`${'x'.repeat(2001)}`, 'an option too long'],
  ])('[%s] stays literal (%s)', (inside) => {
    expect(optionsOf(inside)).toBeNull();
  });

  it('a passage with a bracket and alternatives becomes segments, the rest as written', () => {
    const sut = passageBrackets('The concession runs for [five years / ten years] from [the signature].');
    expect(sut).toEqual({
      count: 2,
      example: '[five years / ten years]',
      wording: {
        text: 'The concession runs for {{1}} from {{2}}.',
        segments: [{ options: [{ text: 'five years' }, { text: 'ten years' }] }, { options: [{ text: 'the signature' }] }],
      },
    });
    // The editor's own parts read it back, and it renders as the server would.
    expect(renderParts(partsFromWording(sut!.wording))).toBe(
      'The concession runs for [A: five years | B: ten years] from [the signature].',
    );
  });

  it('literal groups stay in the text beside real ones', () => {
    expect(passageBrackets('See [1], [sic] and […]; the term is [five/ten] years.')?.wording).toEqual({
      text: 'See [1], [sic] and […]; the term is {{1}} years.',
      segments: [{ options: [{ text: 'five' }, { text: 'ten' }] }],
    });
  });

  it('a nested group stays literal as a whole; a stray ] or an unclosed [ is a character', () => {
    expect(passageBrackets('the [Party [of the first part]] agrees')).toBeNull();
    expect(passageBrackets('a ] b [c] d')?.wording).toEqual({ text: 'a ] b {{1}} d', segments: [{ options: [{ text: 'c' }] }] });
    expect(passageBrackets('a [b] c [d')?.wording).toEqual({
      text: 'a {{1}} c [d',
      segments: [{ options: [{ text: 'b' }] }],
    });
  });

  it('a passage with no bracket, or only literal ones, offers nothing', () => {
    expect(passageBrackets('The concession runs for ten years.')).toBeNull();
    expect(passageBrackets('Article 3 [1] and [2026]')).toBeNull();
    expect(passageBrackets('')).toBeNull();
  });

  it('a passage holding the server’s placeholders is left alone', () => {
    expect(passageBrackets('a {{1}} b [c]')).toBeNull();
  });

  it(`at most ${MAX_SEGMENTS} brackets; the others stay literal`, () => {
    const passage = Array.from({ length: MAX_SEGMENTS + 2 }, (_, i) => `[w${i}]`).join(' ');
    const sut = passageBrackets(passage)!;
    expect(sut.count).toBe(MAX_SEGMENTS);
    expect(sut.wording.segments).toHaveLength(MAX_SEGMENTS);
    expect(sut.wording.text.endsWith(`{{${MAX_SEGMENTS}}} [w${MAX_SEGMENTS}] [w${MAX_SEGMENTS + 1}]`)).toBe(true);
  });

  it('a long first bracket is shortened in the sentence that offers it', () => {
    const sut = passageBrackets(`[${'long '.repeat(30)}]`)!;
    expect(sut.example).toHaveLength(60);
    expect(sut.example.endsWith('…')).toBe(true);
  });

  it('stays linear on a long passage (10,000 characters of brackets)', () => {
    const passage = '[a / b] '.repeat(1250);
    const started = performance.now();
    const sut = passageBrackets(passage)!;
    expect(sut.count).toBe(MAX_SEGMENTS);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
