import type { ProposalChange, WordingInput } from '@parley/contracts';
import {
  clauseIdOf,
  counterChange,
  inputFromStored,
  noMarkers,
  previewProposal,
  proposeChange,
  renderInput,
  renderStored,
  staleness,
  storedFromInput,
  type StoredWording,
} from './proposal-redline';

const textOf = (diff: { op: string; text: string }[] | null, op: string) =>
  (diff ?? [])
    .filter((d) => d.op === op)
    .map((d) => d.text)
    .join('');
const reads = (diff: { op: string; text: string }[] | null, side: 'before' | 'after') =>
  (diff ?? [])
    .filter((d) => d.op === 'equal' || d.op === (side === 'before' ? 'delete' : 'insert'))
    .map((d) => d.text)
    .join('');

/** A stored clause: "The lease runs for [A: five years | B: ten years] from [signature]." */
const clause: StoredWording & { id: string; version: number } = {
  id: 'c1',
  version: 3,
  text: 'The lease runs for {{s-alt}} from {{s-br}}.',
  segments: [
    {
      id: 's-alt',
      options: [
        { id: 'A', text: 'five years', supportedBy: ['north'] },
        { id: 'B', text: 'ten years', supportedBy: ['south'] },
      ],
    },
    { id: 's-br', options: [{ id: 'A', text: 'signature', supportedBy: [] }] },
  ],
};
const CLAUSE_READS = 'The lease runs for [A: five years | B: ten years] from [signature].';

describe('renderInput: a client wording for people', () => {
  it('renders {{n}} as the server renders the stored segment: a bracket, or lettered alternatives', () => {
    const w: WordingInput = {
      text: 'The lease runs for {{1}} from {{2}}.',
      segments: [{ options: [{ text: 'five years' }, { text: 'ten years' }] }, { options: [{ text: 'signature' }] }],
    };
    expect(renderInput(w)).toBe(CLAUSE_READS);
    expect(renderInput(w)).toBe(renderStored(clause));
  });

  it('takes the placeholders in any order and with spaces inside the braces, as the server does', () => {
    const w: WordingInput = {
      text: 'From {{ 2 }} for {{1}}.',
      segments: [{ options: [{ text: 'a' }, { text: 'b' }] }, { options: [{ text: 'c' }] }],
    };
    expect(renderInput(w)).toBe('From [c] for [A: a | B: b].');
  });

  it('never shows {{: a placeholder naming no segment is dropped, stray braces are cut', () => {
    expect(renderInput({ text: 'One {{3}} two {{x}} three }}{{{{', segments: [{ options: [{ text: 'a' }] }] })).not.toMatch(/\{\{|\}\}/);
    expect(renderInput({ text: 'No segments {{1}} here' })).toBe('No segments here');
    expect(renderInput({ text: 'Option {{1}}', segments: [{ options: [{ text: 'with {{2}} inside' }] }] })).not.toContain('{{');
  });

  it('cleans spacing as the server stores it (so an unchanged clause shows no change)', () => {
    expect(renderInput({ text: '  The   lease {{1}}  ', segments: [{ options: [{ text: '  five  years ' }] }] })).toBe(
      'The lease [five years]',
    );
  });

  it('leaves plain wording alone', () => {
    expect(renderInput({ text: 'Plain wording, with $& and 100 %.' })).toBe('Plain wording, with $& and 100 %.');
  });
});

describe('in the style the page shows clauses in', () => {
  const style = { option: (l: string) => `Alt. ${l}: `, separator: ' / ' };
  it('renders alternatives with the page’s labels, a bracket as [wording], and never {{', () => {
    expect(renderStored(clause, style)).toBe('The lease runs for [Alt. A: five years / Alt. B: ten years] from [signature].');
    const w: WordingInput = {
      text: 'For {{1}} from {{2}}',
      segments: [{ options: [{ text: 'a' }, { text: 'b' }] }, { options: [{ text: 'c' }] }],
    };
    expect(renderInput(w, style)).toBe('For [Alt. A: a / Alt. B: b] from [c]');
    expect(renderStored({ text: 'x {{gone}} y', segments: [] }, style)).not.toContain('{{');
  });
  it('the redline and what the clause would read use it on both sides', () => {
    const p = previewProposal(
      { kind: 'add_option', clauseId: 'c1', baseVersion: 3, segmentId: 's-alt', text: 'seven years' },
      clause,
      style,
    )!;
    expect(p.after).toBe('The lease runs for [Alt. A: five years / Alt. B: ten years / Alt. C: seven years] from [signature].');
    expect(textOf(p.diff, 'insert')).toContain('Alt. C: seven years');
    expect(textOf(p.diff, 'delete')).toBe('');
    expect(reads(p.diff, 'after')).toBe(p.after);
  });
});

describe('noMarkers and renderStored', () => {
  it('cuts every run of braces to one', () => {
    expect(noMarkers('a {{b}} {{{c}}} d')).toBe('a {b} {c} d');
  });
  it('renders a stored clause, and a segment id the text does not hold leaves no placeholder', () => {
    expect(renderStored(clause)).toBe(CLAUSE_READS);
    expect(renderStored({ text: 'x {{gone}} y', segments: [] })).not.toContain('{{');
  });
});

describe('storedFromInput and inputFromStored', () => {
  it('round-trips a stored clause through the client form, segments in text order, with supporters', () => {
    const input = inputFromStored(clause);
    expect(input).toEqual({
      text: 'The lease runs for {{1}} from {{2}}.',
      segments: [
        {
          options: [
            { text: 'five years', supportedBy: ['north'] },
            { text: 'ten years', supportedBy: ['south'] },
          ],
        },
        { options: [{ text: 'signature', supportedBy: [] }] },
      ],
    });
    expect(renderStored(storedFromInput(input))).toBe(CLAUSE_READS);
  });
  it('numbers segments in the order they sit in the text, not the order they are listed', () => {
    const w: StoredWording = {
      text: '{{b}} then {{a}}',
      segments: [
        { id: 'a', options: [{ id: 'A', text: 'second', supportedBy: [] }] },
        { id: 'b', options: [{ id: 'A', text: 'first', supportedBy: [] }] },
      ],
    };
    expect(inputFromStored(w)).toEqual({
      text: '{{1}} then {{2}}',
      segments: [{ options: [{ text: 'first', supportedBy: [] }] }, { options: [{ text: 'second', supportedBy: [] }] }],
    });
  });
  it('plain wording has no segments', () => {
    expect(inputFromStored({ text: 'Plain.', segments: [] })).toEqual({ text: 'Plain.' });
  });
});

describe('previewProposal: the redline against the clause as it now reads', () => {
  it('new wording: deletions and insertions between the two renderings, each side reading whole', () => {
    const change: ProposalChange = {
      kind: 'replace',
      clauseId: 'c1',
      baseVersion: 3,
      wording: {
        text: 'The lease runs for {{1}} from {{2}}.',
        segments: [{ options: [{ text: 'seven years' }] }, { options: [{ text: 'signature' }] }],
      },
    };
    const p = previewProposal(change, clause)!;
    expect(p.after).toBe('The lease runs for [seven years] from [signature].');
    expect(reads(p.diff, 'before')).toBe(CLAUSE_READS);
    expect(reads(p.diff, 'after')).toBe(p.after);
    expect(textOf(p.diff, 'insert')).toContain('seven');
    expect(textOf(p.diff, 'delete')).toContain('ten');
    expect(p.becomes).toBe(change.wording);
    expect(p.diff!.map((d) => d.text).join('')).not.toContain('{{');
  });

  it('an unchanged wording shows no change at all', () => {
    const p = previewProposal({ kind: 'replace', clauseId: 'c1', baseVersion: 3, wording: inputFromStored(clause) }, clause)!;
    expect(p.diff!.every((d) => d.op === 'equal')).toBe(true);
  });

  it('a new clause: everything inserted', () => {
    const p = previewProposal({ kind: 'insert', afterClauseId: null, wording: { text: 'Fees are indexed.' } }, null)!;
    expect(p.diff).toEqual([{ op: 'insert', text: 'Fees are indexed.' }]);
  });

  it('deleting the clause: the whole clause struck; a counter starts from the clause as it stands', () => {
    const p = previewProposal({ kind: 'delete', clauseId: 'c1', baseVersion: 3 }, clause)!;
    expect(p.diff).toEqual([{ op: 'delete', text: CLAUSE_READS }]);
    expect(p.after).toBe('');
    expect(renderInput(p.becomes)).toBe(CLAUSE_READS);
  });

  it('adding an option: the clause with the option added (by the server’s own rule)', () => {
    const p = previewProposal({ kind: 'add_option', clauseId: 'c1', baseVersion: 3, segmentId: 's-alt', text: 'seven years' }, clause)!;
    expect(p.after).toBe('The lease runs for [A: five years | B: ten years | C: seven years] from [signature].');
    expect(textOf(p.diff, 'insert')).toContain('C: seven years');
    expect(textOf(p.diff, 'delete')).toBe('');
    expect(renderInput(p.becomes)).toBe(p.after);
  });

  it('resolving by an option, by new wording, or striking the bracket', () => {
    const byOption = previewProposal(
      { kind: 'resolve_option', clauseId: 'c1', baseVersion: 3, segmentId: 's-alt', optionId: 'B' },
      clause,
    )!;
    expect(byOption.after).toBe('The lease runs for ten years from [signature].');
    expect(byOption.becomes).toEqual({
      text: 'The lease runs for ten years from {{1}}.',
      segments: [{ options: [{ text: 'signature', supportedBy: [] }] }],
    });
    const reworded = previewProposal(
      { kind: 'resolve_option', clauseId: 'c1', baseVersion: 3, segmentId: 's-br', text: 'the date of signature' },
      clause,
    )!;
    expect(reworded.after).toBe('The lease runs for [A: five years | B: ten years] from the date of signature.');
    const struck = previewProposal({ kind: 'resolve_option', clauseId: 'c1', baseVersion: 3, segmentId: 's-br', text: '' }, clause)!;
    expect(struck.after).toBe('The lease runs for [A: five years | B: ten years] from.');
    expect(reads(struck.diff, 'before')).toBe(CLAUSE_READS);
  });

  it('a bracket no longer there, or an option struck since: nothing to show, no exception', () => {
    expect(
      previewProposal({ kind: 'resolve_option', clauseId: 'c1', baseVersion: 2, segmentId: 'gone', optionId: 'A' }, clause),
    ).toBeNull();
    expect(
      previewProposal({ kind: 'resolve_option', clauseId: 'c1', baseVersion: 2, segmentId: 's-alt', optionId: 'Z' }, clause),
    ).toBeNull();
    expect(previewProposal({ kind: 'add_option', clauseId: 'c1', baseVersion: 2, segmentId: 'gone', text: 'x' }, clause)).toBeNull();
  });

  it('a clause since deleted: new wording is still readable (no redline); other kinds show nothing', () => {
    const p = previewProposal(
      { kind: 'replace', clauseId: 'c9', baseVersion: 1, wording: { text: 'Gone {{1}}', segments: [{ options: [{ text: 'x' }] }] } },
      null,
    )!;
    expect(p).toEqual({ diff: null, after: 'Gone [x]', becomes: { text: 'Gone {{1}}', segments: [{ options: [{ text: 'x' }] }] } });
    expect(previewProposal({ kind: 'delete', clauseId: 'c9', baseVersion: 1 }, null)).toBeNull();
    expect(previewProposal({ kind: 'add_option', clauseId: 'c9', baseVersion: 1, segmentId: 's', text: 'x' }, null)).toBeNull();
  });
});

describe('staleness', () => {
  it('says the version a proposal was made on when the clause has moved on', () => {
    expect(staleness({ kind: 'delete', clauseId: 'c1', baseVersion: 1 }, { version: 3 })).toEqual({ base: 1, now: 3 });
    expect(staleness({ kind: 'delete', clauseId: 'c1', baseVersion: 3 }, { version: 3 })).toBeNull();
    expect(staleness({ kind: 'insert', afterClauseId: null, wording: { text: 'x' } }, { version: 3 })).toBeNull();
    expect(staleness({ kind: 'delete', clauseId: 'c1', baseVersion: 1 }, null)).toBeNull();
  });
});

describe('the changes a proposal and a counter send', () => {
  const wording: WordingInput = { text: 'For {{1}}', segments: [{ options: [{ text: 'six years' }] }] };
  it('a proposal is new wording on the clause’s current version', () => {
    expect(proposeChange(clause, wording)).toEqual({ kind: 'replace', clauseId: 'c1', baseVersion: 3, wording });
  });
  it('a counter to anything on a clause is new wording on its current version, even if the original was older', () => {
    const to: ProposalChange = { kind: 'resolve_option', clauseId: 'c1', baseVersion: 1, segmentId: 's-alt', optionId: 'A' };
    expect(counterChange(to, clause, wording)).toEqual({ kind: 'replace', clauseId: 'c1', baseVersion: 3, wording });
    expect(counterChange(to, null, wording)).toBeNull();
    expect(counterChange(to, { id: 'other', version: 1 }, wording)).toBeNull();
  });
  it('a counter to a new clause is another new clause at the same place, with its heading', () => {
    expect(counterChange({ kind: 'insert', afterClauseId: 'c1', heading: 'Fees', wording: { text: 'x' } }, null, wording)).toEqual({
      kind: 'insert',
      afterClauseId: 'c1',
      heading: 'Fees',
      wording,
    });
    expect(counterChange({ kind: 'insert', afterClauseId: null, wording: { text: 'x' } }, null, wording)).toEqual({
      kind: 'insert',
      afterClauseId: null,
      wording,
    });
  });
  it('clauseIdOf names the clause, none for a new clause', () => {
    expect(clauseIdOf({ kind: 'delete', clauseId: 'c1', baseVersion: 1 })).toBe('c1');
    expect(clauseIdOf({ kind: 'insert', afterClauseId: 'c1', wording: { text: 'x' } })).toBeNull();
  });
});
