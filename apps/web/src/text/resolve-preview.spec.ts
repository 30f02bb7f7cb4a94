import { DomainError } from '@parley/platform/domain';
import type { AgreementState } from '../../../../libs/agreement/src/domain/model';
import type { ProposalChange } from '@parley/contracts';
import { render } from '@parley/agreement/domain/wording';
import { displayWording, orderedSegments, resolvePreview, resolveRequest, type ClauseWording, type ResolveChoice } from './resolve-preview';

/**
 * The server's own applyChange (what editText runs for resolve_option), loaded through jest's module
 * map: the web's type configuration does not reach the server's modules, so its type is restated here.
 */
const { applyChange } = jest.requireActual<{
  applyChange: (
    s: AgreementState,
    change: ProposalChange,
    author: { participantId: string; partyId: string | null },
    proposalId: string | null,
    ctx: { now: Date; newId: () => string },
  ) => { state: AgreementState };
}>('@parley/agreement/domain/agreement');

const alt = (id: string) => `Alt. ${id}: `;

// Two segments, the second listed first in the text: alternatives, then a bracketed phrase.
const clause: ClauseWording = {
  text: 'The parties withdraw within {{s-alt}} of signature, {{s-br}} under joint monitoring.',
  segments: [
    {
      id: 's-br',
      options: [{ id: 'A', text: 'and remain', supportedBy: ['north'] }],
    },
    {
      id: 's-alt',
      options: [
        { id: 'A', text: 'five years', supportedBy: ['north'] },
        { id: 'B', text: 'ten years', supportedBy: ['south'] },
      ],
    },
  ],
};

const state = (w: ClauseWording): AgreementState => ({
  sessionId: 'session',
  status: 'drafting',
  revision: 7,
  partyIds: ['north', 'south'],
  clauses: [{ id: 'c1', version: 3, heading: null, wording: w, marks: {} }],
  finalSha256: null,
  finalisedAt: null,
  signOffs: [],
});

/** What the server stores after the mediator's resolve_option (agreement.applyChange, as editText runs it). */
function serverApplies(w: ClauseWording, segmentId: string, choice: ResolveChoice) {
  const decision = applyChange(
    state(w),
    { kind: 'resolve_option', clauseId: 'c1', baseVersion: 3, segmentId, ...resolveRequest(choice) },
    { participantId: 'mediator', partyId: null },
    null,
    { now: new Date('2026-12-02T04:00:00Z'), newId: () => 'new-id' },
  );
  return decision.state.clauses[0].wording;
}

describe('orderedSegments', () => {
  it('numbers segments by where they stand in the text, not by their order in the list', () => {
    expect(orderedSegments(clause).map(({ segment, k }) => [segment.id, k])).toEqual([
      ['s-alt', 1],
      ['s-br', 2],
    ]);
  });
});

describe('displayWording', () => {
  it('shows a bracket as [wording] and alternatives with the reader’s labels, never a placeholder', () => {
    expect(displayWording(clause, alt)).toBe(
      'The parties withdraw within [Alt. A: five years / Alt. B: ten years] of signature, [and remain] under joint monitoring.',
    );
    expect(displayWording({ text: 'Lost {{gone}} here.', segments: [] }, alt)).toBe('Lost  here.');
  });
});

describe('resolvePreview', () => {
  it('choosing an option puts its wording in place of the segment, as a redline against the text as it reads', () => {
    const p = resolvePreview(clause, 's-alt', { kind: 'option', optionId: 'B' }, (w) => displayWording(w, alt));
    if (!p.ok) throw new Error(`refused ${p.refused}`);
    expect(p.request).toEqual({ optionId: 'B' });
    expect(p.after).toBe('The parties withdraw within ten years of signature, [and remain] under joint monitoring.');
    expect(p.before).toBe(displayWording(clause, alt));
    expect(
      p.diff
        .filter((d) => d.op !== 'insert')
        .map((d) => d.text)
        .join(''),
    ).toBe(p.before);
    expect(
      p.diff
        .filter((d) => d.op !== 'delete')
        .map((d) => d.text)
        .join(''),
    ).toBe(p.after);
    expect(p.diff.some((d) => d.op === 'delete' && d.text.includes('five'))).toBe(true);
    expect(p.wording.segments.map((s) => s.id)).toEqual(['s-br']);
  });

  it('rewording stores the new wording cleaned; striking takes the space before the bracket too', () => {
    const reword = resolvePreview(clause, 's-br', { kind: 'reword', text: '  and  stay\n ' }, (w) => displayWording(w, alt));
    expect(reword.ok && reword.request).toEqual({ text: 'and stay' });
    expect(reword.ok && reword.after).toBe(
      'The parties withdraw within [Alt. A: five years / Alt. B: ten years] of signature, and stay under joint monitoring.',
    );
    const strike = resolvePreview(clause, 's-br', { kind: 'strike' }, (w) => displayWording(w, alt));
    expect(strike.ok && strike.request).toEqual({ text: '' });
    expect(strike.ok && strike.after).toBe(
      'The parties withdraw within [Alt. A: five years / Alt. B: ten years] of signature, under joint monitoring.',
    );
  });

  it.each<[string, ResolveChoice]>([
    ['s-alt', { kind: 'option', optionId: 'A' }],
    ['s-alt', { kind: 'option', optionId: 'B' }],
    ['s-alt', { kind: 'reword', text: ' twelve \n months ' }],
    ['s-alt', { kind: 'strike' }],
    ['s-br', { kind: 'option', optionId: 'A' }],
    ['s-br', { kind: 'reword', text: 'and stay' }],
    ['s-br', { kind: 'strike' }],
  ])('equals what the server applies: %s %j', (segmentId, choice) => {
    const p = resolvePreview(clause, segmentId, choice);
    if (!p.ok) throw new Error(`refused ${p.refused}`);
    const applied = serverApplies(clause, segmentId, choice);
    expect(p.wording).toEqual(applied);
    expect(p.after).toBe(render(applied));
    expect(p.before).toBe(render(clause));
  });

  const only: ClauseWording = { text: '{{s}}', segments: [{ id: 's', options: [{ id: 'A', text: 'all of it', supportedBy: [] }] }] };
  it.each<[string, ClauseWording, string, ResolveChoice, string]>([
    ['striking the only wording', only, 's', { kind: 'strike' }, 'empty_clause'],
    ['rewording to nothing but spaces', only, 's', { kind: 'reword', text: '   ' }, 'empty_clause'],
    ['new wording over 2,000 characters', clause, 's-br', { kind: 'reword', text: 'x'.repeat(2001) }, 'too_long'],
    ['new wording with a brace', clause, 's-br', { kind: 'reword', text: 'see {{1}}' }, 'braces'],
    ['a segment resolved meanwhile', clause, 'gone', { kind: 'option', optionId: 'A' }, 'segment_gone'],
    ['an option that is not there', clause, 's-alt', { kind: 'option', optionId: 'C' }, 'option_gone'],
  ])('says the server would refuse %s, without throwing, with the server’s code', (_name, w, segmentId, choice, refused) => {
    const p = resolvePreview(w, segmentId, choice);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.refused).toBe(refused);
    let serverCode: string | undefined;
    try {
      serverApplies(w, segmentId, choice);
    } catch (e) {
      serverCode = e instanceof DomainError ? e.code : 'not a DomainError';
    }
    expect(p.code).toBe(serverCode);
  });

  it('keeps 2,000 characters of new wording (the limit itself) as allowed', () => {
    expect(resolvePreview(clause, 's-br', { kind: 'reword', text: 'x'.repeat(2000) }).ok).toBe(true);
  });
});
