import { DomainError } from '@parley/platform/domain';
import type { WordingInput } from '@parley/contracts';
import { codeOf } from '@parley/sessions/domain/testing.factories';
import type { Wording } from './model';
import { deepFreeze, disputedWording } from './testing.factories';
import {
  MAX_CLAUSE_LENGTH,
  MAX_HEADING_LENGTH,
  MAX_OPTION_LENGTH,
  MAX_OPTIONS,
  MAX_SEGMENTS,
  addOption,
  cleanHeading,
  cleanText,
  isBracketed,
  parseWording,
  render,
  resolve,
  support,
} from './wording';

const parties = ['A', 'B'] as const;

/** Fresh, predictable ids: seg-1, seg-2 … */
function ids(prefix = 'seg') {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** The code and field a rule refuses with. */
function refusal(rule: () => unknown): { code: string; field: string | undefined } {
  try {
    rule();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a refusal, but the rule allowed it');
}

const oneSegment = (text: string, options: Array<{ text: string; supportedBy?: string[] }> = [{ text: 'x' }]): WordingInput => ({
  text,
  segments: [{ options }],
});

describe('cleanText', () => {
  it.each([
    ['trims', '  The parties agree.  ', 'The parties agree.'],
    ['collapses spaces and tabs', 'The \t parties   agree.', 'The parties agree.'],
    ['keeps line breaks but not the spaces around them', 'One. \n  Two.', 'One.\nTwo.'],
    ['turns CRLF into LF', 'One.\r\nTwo.', 'One.\nTwo.'],
    ['normalises to NFC', 'Gene\u0301ve', 'Gen\u00e9ve'],
  ])('%s', (_n, raw, expected) => {
    expect(cleanText(raw)).toBe(expected);
  });
});

describe('cleanHeading', () => {
  it('keeps a heading trimmed, and makes empty or absent headings none', () => {
    expect(cleanHeading('  Borders ')).toBe('Borders');
    expect(cleanHeading('   ')).toBeNull();
    expect(cleanHeading(null)).toBeNull();
    expect(cleanHeading(undefined)).toBeNull();
  });
  it('refuses a heading that is too long, on the field given', () => {
    expect(cleanHeading('h'.repeat(MAX_HEADING_LENGTH))).toHaveLength(MAX_HEADING_LENGTH);
    expect(refusal(() => cleanHeading('h'.repeat(MAX_HEADING_LENGTH + 1), 'change.heading'))).toEqual({
      code: 'WORDING_INVALID',
      field: 'change.heading',
    });
  });
});

describe('parseWording', () => {
  it('stores plain wording as it is, cleaned, with no segments', () => {
    const sut = parseWording({ text: ' The parties  agree. ' }, parties, ids());
    expect(sut).toEqual({ text: 'The parties agree.', segments: [] });
    expect(isBracketed(sut)).toBe(false);
  });

  it('replaces {{n}} with the stored id of segment n, wherever it sits in the text', () => {
    const sut = parseWording(
      {
        text: 'Troops withdraw {{2}} within {{1}}.',
        segments: [{ options: [{ text: '30 days' }, { text: '90 days' }] }, { options: [{ text: 'fully' }] }],
      },
      parties,
      ids(),
    );

    expect(sut.text).toBe('Troops withdraw {{seg-2}} within {{seg-1}}.');
    expect(sut.segments.map((s) => s.id)).toEqual(['seg-1', 'seg-2']);
    expect(sut.segments[0].options).toEqual([
      { id: 'A', text: '30 days', supportedBy: [] },
      { id: 'B', text: '90 days', supportedBy: [] },
    ]);
    expect(isBracketed(sut)).toBe(true);
  });

  it('accepts spaces inside a placeholder and a clause that is one bracket only', () => {
    expect(parseWording(oneSegment('Pay {{ 1 }} now'), parties, ids()).text).toBe('Pay {{seg-1}} now');
    expect(parseWording(oneSegment('{{1}}'), parties, ids()).text).toBe('{{seg-1}}');
  });

  it('cleans the wording of options', () => {
    const sut = parseWording(oneSegment('Pay {{1}}', [{ text: '  ten   euros ' }]), parties, ids());
    expect(sut.segments[0].options[0].text).toBe('ten euros');
  });

  it.each<[string, WordingInput, string]>([
    [
      'a placeholder naming no segment',
      { text: 'a {{1}} b {{3}}', segments: [{ options: [{ text: 'x' }] }, { options: [{ text: 'y' }] }] },
      'wording.text',
    ],
    ['placeholder {{0}}', oneSegment('a {{0}} b'), 'wording.text'],
    ['a placeholder with no segments at all', { text: 'a {{1}} b' }, 'wording.text'],
    ['a segment placed twice', oneSegment('a {{1}} b {{1}}'), 'wording.text'],
    ['a segment not placed', { text: 'a {{1}} b', segments: [{ options: [{ text: 'x' }] }, { options: [{ text: 'y' }] }] }, 'wording.text'],
    ['a named placeholder', { text: 'a {{x}} b' }, 'wording.text'],
    ['stray opening braces', oneSegment('a {{1}} {{ b'), 'wording.text'],
    ['stray closing braces', { text: 'a }} b' }, 'wording.text'],
    ['empty wording', { text: '  \n ' }, 'wording.text'],
    ['a clause that is too long', { text: 'x'.repeat(MAX_CLAUSE_LENGTH + 1) }, 'wording.text'],
    [
      'too many segments',
      {
        text: Array.from({ length: MAX_SEGMENTS + 1 }, (_, i) => `{{${i + 1}}}`).join(' '),
        segments: Array.from({ length: MAX_SEGMENTS + 1 }, () => ({ options: [{ text: 'x' }] })),
      },
      'wording.segments',
    ],
    ['a segment with no option', { text: 'a {{1}}', segments: [{ options: [] }] }, 'wording.segments.0.options'],
    [
      'a segment with too many options',
      oneSegment(
        'a {{1}}',
        Array.from({ length: MAX_OPTIONS + 1 }, (_, i) => ({ text: `o${i}` })),
      ),
      'wording.segments.0.options',
    ],
    ['an empty option', oneSegment('a {{1}}', [{ text: 'x' }, { text: '   ' }]), 'wording.segments.0.options.1.text'],
    [
      'an option that is too long',
      oneSegment('a {{1}}', [{ text: 'x'.repeat(MAX_OPTION_LENGTH + 1) }]),
      'wording.segments.0.options.0.text',
    ],
    ['an option holding a placeholder', oneSegment('a {{1}}', [{ text: 'x {{1}}' }]), 'wording.segments.0.options.0.text'],
    [
      'a supporter who is not a party',
      oneSegment('a {{1}}', [{ text: 'x', supportedBy: ['A', 'Z'] }]),
      'wording.segments.0.options.0.supportedBy',
    ],
  ])('refuses %s (WORDING_INVALID on %s)', (_n, input, field) => {
    expect(refusal(() => parseWording(input, parties, ids()))).toEqual({ code: 'WORDING_INVALID', field });
  });

  it('names the second segment in the field when it is the faulty one', () => {
    const input: WordingInput = { text: '{{1}} {{2}}', segments: [{ options: [{ text: 'x' }] }, { options: [{ text: '' }] }] };
    expect(refusal(() => parseWording(input, parties, ids()))).toEqual({
      code: 'WORDING_INVALID',
      field: 'wording.segments.1.options.0.text',
    });
  });

  it('prefixes fields with the field it is given', () => {
    expect(refusal(() => parseWording({ text: '' }, parties, ids(), 'change.wording'))).toEqual({
      code: 'WORDING_INVALID',
      field: 'change.wording.text',
    });
  });

  it('accepts wording right at the limits', () => {
    const many = MAX_SEGMENTS;
    const sut = parseWording(
      {
        text: Array.from({ length: many }, (_, i) => `{{${i + 1}}}`).join(' '),
        segments: Array.from({ length: many }, (_, i) => ({
          options: Array.from({ length: i === 0 ? MAX_OPTIONS : 1 }, (_o, j) => ({
            text: j === 0 ? 'o'.repeat(MAX_OPTION_LENGTH) : `o${j}`,
          })),
        })),
      },
      parties,
      ids(),
    );
    expect(sut.segments).toHaveLength(MAX_SEGMENTS);
    expect(sut.segments[0].options.map((o) => o.id)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(parseWording({ text: 'x'.repeat(MAX_CLAUSE_LENGTH) }, parties, ids()).text).toHaveLength(MAX_CLAUSE_LENGTH);
  });

  it('keeps the supporters who are parties, once each', () => {
    const sut = parseWording(oneSegment('a {{1}}', [{ text: 'x', supportedBy: ['A', 'A', 'B'] }]), parties, ids());
    expect(sut.segments[0].options[0].supportedBy).toEqual(['A', 'B']);
  });

  it('keeps only the last option a party supports within one segment', () => {
    const sut = parseWording(
      oneSegment('a {{1}}', [{ text: 'x', supportedBy: ['A', 'B'] }, { text: 'y', supportedBy: ['A'] }, { text: 'z' }]),
      parties,
      ids(),
    );
    expect(sut.segments[0].options.map((o) => [o.id, o.supportedBy])).toEqual([
      ['A', ['B']],
      ['B', ['A']],
      ['C', []],
    ]);
  });

  it('lets a party support one option in each of two segments', () => {
    const sut = parseWording(
      {
        text: '{{1}} {{2}}',
        segments: [{ options: [{ text: 'x', supportedBy: ['A'] }] }, { options: [{ text: 'y', supportedBy: ['A'] }] }],
      },
      parties,
      ids(),
    );
    expect(sut.segments.map((s) => s.options[0].supportedBy)).toEqual([['A'], ['A']]);
  });

  // BUG: a placeholder wrapped in a stray brace passes the stray-brace check (the check only looks
  // for "{{" / "}}" left over after the placeholders are removed), and is then stored as
  // "{{{seg-1}}}": render() cannot find that segment and shows the raw id to people.
  it('refuses stray braces around a placeholder ({{{1}}})', () => {
    expect(codeOf(() => parseWording(oneSegment('Pay {{{1}}} now', [{ text: 'ten euros' }]), parties, ids()))).toBe('WORDING_INVALID');
  });
  it.each(['Pay {{{1}} now', 'Pay {{{1}}} now'])('either refuses %j or renders its segment, never the stored id', (text) => {
    let shown: string;
    try {
      shown = render(parseWording(oneSegment(text, [{ text: 'ten euros' }]), parties, ids()));
    } catch (e) {
      expect((e as DomainError).code).toBe('WORDING_INVALID');
      return;
    }
    expect(shown).toContain('[ten euros]');
    expect(shown).not.toContain('seg-1');
  });
});

describe('render', () => {
  it('leaves plain wording alone', () => {
    expect(render({ text: 'The parties agree.', segments: [] })).toBe('The parties agree.');
  });
  it('shows alternatives as [A: … | B: …]', () => {
    expect(render(disputedWording())).toBe('The border runs [A: along the river | B: along the ridge].');
  });
  it('shows a single option as bracketed wording', () => {
    const sut = render({
      text: 'Pay {{s}} within {{t}}.',
      segments: [
        { id: 's', options: [{ id: 'A', text: 'ten euros', supportedBy: [] }] },
        {
          id: 't',
          options: [
            { id: 'A', text: '30 days', supportedBy: [] },
            { id: 'B', text: '60 days', supportedBy: [] },
          ],
        },
      ],
    });
    expect(sut).toBe('Pay [ten euros] within [A: 30 days | B: 60 days].');
  });
  it('leaves a placeholder that names no segment as it is', () => {
    expect(render({ text: 'Pay {{gone}}.', segments: [] })).toBe('Pay {{gone}}.');
  });
});

describe('addOption', () => {
  it('adds option C after A and B, unsupported when nobody proposes it', () => {
    const sut = addOption(disputedWording(), 'seg-1', '  along the  valley ', null);
    expect(sut.segments[0].options).toEqual([
      { id: 'A', text: 'along the river', supportedBy: ['A'] },
      { id: 'B', text: 'along the ridge', supportedBy: ['B'] },
      { id: 'C', text: 'along the valley', supportedBy: [] },
    ]);
    expect(sut.text).toBe(disputedWording().text);
  });

  it("moves the proposing party's support to the new option", () => {
    const sut = addOption(disputedWording(), 'seg-1', 'along the valley', 'B');
    expect(sut.segments[0].options.map((o) => [o.id, o.supportedBy])).toEqual([
      ['A', ['A']],
      ['B', []],
      ['C', ['B']],
    ]);
  });

  it('letters options in order: A, B, C, D', () => {
    const once = addOption(disputedWording(), 'seg-1', 'c', null);
    const sut = addOption(once, 'seg-1', 'd', null);
    expect(sut.segments[0].options.map((o) => o.id)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('refuses an unknown segment, empty wording, placeholders, and a full segment', () => {
    expect(codeOf(() => addOption(disputedWording(), 'nope', 'x', null))).toBe('SEGMENT_NOT_FOUND');
    expect(refusal(() => addOption(disputedWording(), 'seg-1', '  ', null))).toEqual({ code: 'WORDING_INVALID', field: 'text' });
    expect(refusal(() => addOption(disputedWording(), 'seg-1', 'x }} y', null))).toEqual({ code: 'WORDING_INVALID', field: 'text' });
    let full = disputedWording();
    while (full.segments[0].options.length < MAX_OPTIONS) full = addOption(full, 'seg-1', 'more', null);
    expect(refusal(() => addOption(full, 'seg-1', 'one too many', null))).toEqual({ code: 'WORDING_INVALID', field: 'segmentId' });
  });
});

describe('support', () => {
  it("moves a party's support from its option to another", () => {
    const sut = support(disputedWording(), 'seg-1', 'A', 'B');
    expect(sut.segments[0].options.map((o) => [o.id, o.supportedBy])).toEqual([
      ['A', ['A', 'B']],
      ['B', []],
    ]);
  });
  it('does not count a party twice', () => {
    const sut = support(disputedWording(), 'seg-1', 'A', 'A');
    expect(sut.segments[0].options[0].supportedBy).toEqual(['A']);
  });
  it('leaves other segments alone', () => {
    const w: Wording = deepFreeze({
      text: '{{s}} {{t}}',
      segments: [
        {
          id: 's',
          options: [
            { id: 'A', text: 'x', supportedBy: ['B'] },
            { id: 'B', text: 'y', supportedBy: [] },
          ],
        },
        { id: 't', options: [{ id: 'A', text: 'z', supportedBy: ['B'] }] },
      ],
    });
    const sut = support(w, 's', 'B', 'B');
    expect(sut.segments[1]).toBe(w.segments[1]);
    expect(sut.segments[0].options.map((o) => o.supportedBy)).toEqual([[], ['B']]);
  });
  it('refuses an unknown segment or option', () => {
    expect(refusal(() => support(disputedWording(), 'nope', 'A', 'A'))).toEqual({ code: 'SEGMENT_NOT_FOUND', field: 'segmentId' });
    expect(refusal(() => support(disputedWording(), 'seg-1', 'Z', 'A'))).toEqual({ code: 'OPTION_NOT_FOUND', field: 'optionId' });
  });
});

describe('resolve', () => {
  it('puts the chosen option in place of the segment', () => {
    expect(resolve(disputedWording(), 'seg-1', { optionId: 'B' })).toEqual({ text: 'The border runs along the ridge.', segments: [] });
  });
  it('puts new wording in place of the segment, cleaned', () => {
    expect(resolve(disputedWording(), 'seg-1', { text: '  along  the valley ' }).text).toBe('The border runs along the valley.');
  });
  it('strikes the bracket with empty wording, without leaving a space before the full stop', () => {
    expect(resolve(disputedWording(), 'seg-1', { text: '' }).text).toBe('The border runs.');
    const atStart: Wording = {
      text: '{{s}} the parties agree',
      segments: [{ id: 's', options: [{ id: 'A', text: 'Both', supportedBy: [] }] }],
    };
    expect(resolve(atStart, 's', { text: '' }).text).toBe('the parties agree');
  });
  it('keeps the other segments open', () => {
    const w: Wording = deepFreeze({
      text: 'Pay {{s}} within {{t}}.',
      segments: [
        { id: 's', options: [{ id: 'A', text: 'ten euros', supportedBy: [] }] },
        { id: 't', options: [{ id: 'A', text: '30 days', supportedBy: ['A'] }] },
      ],
    });
    const sut = resolve(w, 's', { optionId: 'A' });
    expect(sut).toEqual({ text: 'Pay ten euros within {{t}}.', segments: [w.segments[1]] });
  });
  it.each([
    ['both an option and new wording', { optionId: 'A', text: 'x' }, 'optionId'],
    ['neither an option nor new wording', {}, 'optionId'],
    ['new wording holding a placeholder', { text: 'x {{y}}' }, 'text'],
    ['new wording that is too long', { text: 'x'.repeat(MAX_OPTION_LENGTH + 1) }, 'text'],
  ])('refuses %s', (_n, choice, field) => {
    expect(refusal(() => resolve(disputedWording(), 'seg-1', choice))).toEqual({ code: 'WORDING_INVALID', field });
  });
  it('refuses to leave the clause empty', () => {
    const w: Wording = { text: '{{s}}', segments: [{ id: 's', options: [{ id: 'A', text: 'x', supportedBy: [] }] }] };
    expect(refusal(() => resolve(w, 's', { text: '  ' }))).toEqual({ code: 'WORDING_INVALID', field: 'text' });
  });
  it('refuses an unknown segment or option', () => {
    expect(refusal(() => resolve(disputedWording(), 'nope', { optionId: 'A' }))).toEqual({ code: 'SEGMENT_NOT_FOUND', field: 'segmentId' });
    expect(refusal(() => resolve(disputedWording(), 'seg-1', { optionId: 'C' }))).toEqual({ code: 'OPTION_NOT_FOUND', field: 'optionId' });
  });

  // BUG: resolve() substitutes with String.prototype.replace(string, string), so "$$", "$&", "$`"
  // and "$'" in the chosen wording are read as replacement patterns instead of being copied.
  it('copies the chosen wording verbatim, dollar signs included', () => {
    const w: Wording = {
      text: 'Each party pays {{s}} a month.',
      segments: [{ id: 's', options: [{ id: 'A', text: 'US$$ 500', supportedBy: [] }] }],
    };
    expect(resolve(w, 's', { optionId: 'A' }).text).toBe('Each party pays US$$ 500 a month.');
  });
  it('never brings back the placeholder of the resolved segment ("$&" in the wording)', () => {
    const w: Wording = {
      text: 'Each party pays {{s}}.',
      segments: [{ id: 's', options: [{ id: 'A', text: 'the sum of $& costs', supportedBy: [] }] }],
    };
    const sut = resolve(w, 's', { text: 'the sum of $& costs' });
    expect(sut.text).toBe('Each party pays the sum of $& costs.');
  });

  // Probable BUG: the clean-up meant for the space the struck bracket leaves ("runs ." → "runs.")
  // runs over the whole clause, so resolving one segment also rewrites wording nobody touched —
  // e.g. French typography, which puts a space before ":" ";" "!" "?".
  it('changes nothing outside the resolved segment', () => {
    const w: Wording = {
      text: 'Article 1 : la frontière suit {{s}} !',
      segments: [{ id: 's', options: [{ id: 'A', text: 'le fleuve', supportedBy: [] }] }],
    };
    expect(resolve(w, 's', { optionId: 'A' }).text).toBe('Article 1 : la frontière suit le fleuve !');
  });
});
