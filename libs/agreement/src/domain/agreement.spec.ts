import { DomainError } from '@parley/platform/domain';
import {
  PARTICIPANT_ROLES,
  PROPOSAL_VISIBILITIES,
  SESSION_STATUSES,
  type DraftScope,
  type ParticipantRole,
  type ProposalChange,
  type ProposalVisibility,
  type SessionStatus,
} from '@parley/contracts';
import { aParticipant, aRoom, codeOf } from '@parley/sessions/domain/testing.factories';
import type { LocatedParticipant } from '@parley/sessions/domain';
import type { AgreementState, Clause, DecisionContext, Proposal } from './model';
import { deepFreeze, disputedWording } from './testing.factories';
import {
  MAX_COMMENT_LENGTH,
  adopt,
  applyChange,
  assertMayAct,
  assertMaySeeNegotiation,
  clauseState,
  counterToFor,
  editText,
  everythingAgreed,
  finalise,
  mark,
  mayViewProposal,
  propose,
  respond,
  signOff,
  supportOption,
  withdraw,
} from './agreement';
import { assertMayDraft, draftKey } from './draft.policy';

const now = new Date('2026-11-28T12:00:00Z');
const at = now.toISOString();
const HASH = 'ab'.repeat(32);

/** Predictable ids: id-1, id-2 … */
function aContext(prefix = 'id'): DecisionContext {
  let n = 0;
  return { now, newId: () => `${prefix}-${++n}` };
}

function refusal(rule: () => unknown): DomainError {
  try {
    rule();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal, but the rule allowed it');
}

const lead = aParticipant('lead_mediator');
const coMediator = aParticipant('co_mediator');
const memberA = aParticipant('party_member', { partyId: 'A' });
const otherMemberA = aParticipant('party_member', { partyId: 'A' });
const headA = aParticipant('party_member', { partyId: 'A', isHead: true });
const memberB = aParticipant('party_member', { partyId: 'B' });
const headB = aParticipant('party_member', { partyId: 'B', isHead: true });
const observer = aParticipant('observer');

const aClause = (over: Partial<Clause> = {}): Clause => ({
  id: 'c1',
  version: 1,
  heading: null,
  wording: { text: 'The parties agree.', segments: [] },
  marks: {},
  ...over,
});

/** Clause c1 (plain, version 1) and clause c2 (bracketed, version 3), two parties. */
const anAgreement = (over: Partial<AgreementState> = {}): AgreementState =>
  deepFreeze({
    sessionId: 's1',
    status: 'drafting',
    revision: 7,
    partyIds: ['A', 'B'],
    clauses: [aClause(), aClause({ id: 'c2', version: 3, heading: 'Borders', wording: disputedWording() })],
    finalSha256: null,
    finalisedAt: null,
    signOffs: [],
    ...over,
  });

const agreedByAll = { A: 'agreed', B: 'agreed' } as const;
const anAgreedText = (over: Partial<AgreementState> = {}) =>
  anAgreement({
    clauses: [
      aClause({ marks: agreedByAll }),
      aClause({ id: 'c2', version: 2, wording: { text: 'The border runs along the river.', segments: [] }, marks: agreedByAll }),
    ],
    ...over,
  });
const aFinalText = (over: Partial<AgreementState> = {}) => anAgreedText({ status: 'final', finalSha256: HASH, finalisedAt: at, ...over });

const aProposal = (over: Partial<Proposal> = {}): Proposal =>
  deepFreeze({
    id: 'p1',
    change: { kind: 'replace', clauseId: 'c1', baseVersion: 1, wording: { text: 'The parties agree in full.' } },
    origin: { kind: 'party', partyId: 'A', participantId: memberA.id },
    visibility: 'tabled',
    status: 'open',
    counterTo: null,
    counterPrivateTo: null,
    rationale: null,
    responses: [],
    createdAt: at,
    decidedAt: null,
    adopted: null,
    ...over,
  });

const mediatorAuthor = { participantId: lead.id, partyId: null };
const replaceC1: ProposalChange = { kind: 'replace', clauseId: 'c1', baseVersion: 1, wording: { text: 'The parties agree in full.' } };

describe('clauseState', () => {
  it.each([
    ['no marks', {}, 'open'],
    ['one party ad referendum', { A: 'ad_referendum' }, 'open'],
    ['one party agreed', { A: 'agreed' }, 'open'],
    ['every party ad referendum', { A: 'ad_referendum', B: 'ad_referendum' }, 'agreed_ad_referendum'],
    ['one agreed, one ad referendum', { A: 'agreed', B: 'ad_referendum' }, 'agreed_ad_referendum'],
    ['every party agreed', { A: 'agreed', B: 'agreed' }, 'agreed'],
    ['agreed by one party and by a stranger', { A: 'agreed', Z: 'agreed' }, 'open'],
  ] as const)('%s: %s', (_n, marks, expected) => {
    expect(clauseState(aClause({ marks }), ['A', 'B'])).toBe(expected);
  });
  it('is bracketed while a disputed segment is open, whatever the marks', () => {
    expect(clauseState(aClause({ wording: disputedWording(), marks: agreedByAll }), ['A', 'B'])).toBe('bracketed');
  });
  it('agrees nothing when the session has no parties', () => {
    expect(clauseState(aClause({ marks: agreedByAll }), [])).toBe('open');
  });
  it('says everything is agreed only when there are clauses and every one is agreed', () => {
    expect(everythingAgreed(anAgreedText())).toBe(true);
    expect(everythingAgreed(anAgreedText({ clauses: [] }))).toBe(false);
    expect(everythingAgreed(anAgreement())).toBe(false);
  });
});

describe('applyChange', () => {
  const insert = (afterClauseId: string | null, heading?: string | null): ProposalChange => ({
    kind: 'insert',
    afterClauseId,
    heading,
    wording: { text: ' New  clause. ' },
  });
  const ids = (s: AgreementState) => s.clauses.map((c) => c.id);

  it('inserts a clause at the start, numbered 1', () => {
    const s = anAgreement();
    const sut = applyChange(s, insert(null), mediatorAuthor, null, aContext());
    expect(ids(sut.state)).toEqual(['id-1', 'c1', 'c2']);
    expect(sut.state.clauses[0]).toEqual({
      id: 'id-1',
      version: 1,
      heading: null,
      wording: { text: 'New clause.', segments: [] },
      marks: {},
    });
    expect(sut).toMatchObject({ clauseId: 'id-1', version: 1 });
    expect(sut.state.revision).toBe(s.revision + 1);
    expect(sut.events).toEqual([
      {
        type: 'clause.versioned',
        clause: sut.state.clauses[0],
        deleted: false,
        changeKind: 'created',
        authorParticipantId: lead.id,
        proposalId: null,
      },
    ]);
  });

  it.each([
    ['after the first clause', 'c1', ['c1', 'id-1', 'c2']],
    ['after the last clause', 'c2', ['c1', 'c2', 'id-1']],
  ])('inserts %s: the order is the numbering', (_n, after, expected) => {
    expect(ids(applyChange(anAgreement(), insert(after), mediatorAuthor, null, aContext()).state)).toEqual(expected);
  });

  it('inserts into an empty text', () => {
    expect(ids(applyChange(anAgreement({ clauses: [] }), insert(null), mediatorAuthor, null, aContext()).state)).toEqual(['id-1']);
  });

  it('gives segment ids first, then the clause id, and stores the heading cleaned', () => {
    const change: ProposalChange = {
      kind: 'insert',
      afterClauseId: null,
      heading: '  Water ',
      wording: { text: 'Share {{1}}.', segments: [{ options: [{ text: 'equally' }] }] },
    };
    const sut = applyChange(anAgreement(), change, mediatorAuthor, null, aContext());
    expect(sut.state.clauses[0]).toMatchObject({ id: 'id-2', heading: 'Water', wording: { text: 'Share {{id-1}}.' } });
  });

  it('refuses to insert after a clause that is not there', () => {
    const e = refusal(() => applyChange(anAgreement(), insert('gone'), mediatorAuthor, null, aContext()));
    expect([e.code, e.field]).toEqual(['CLAUSE_NOT_FOUND', 'afterClauseId']);
  });

  it('replaces the wording: a new version, marks start afresh, heading kept when not given', () => {
    const s = anAgreement({ clauses: [aClause({ heading: 'Peace', marks: { A: 'ad_referendum', B: 'agreed' } })] });
    const sut = applyChange(s, replaceC1, mediatorAuthor, 'p9', aContext());
    expect(sut.state.clauses).toEqual([
      { id: 'c1', version: 2, heading: 'Peace', wording: { text: 'The parties agree in full.', segments: [] }, marks: {} },
    ]);
    expect(sut).toMatchObject({ clauseId: 'c1', version: 2 });
    expect(sut.events).toEqual([
      expect.objectContaining({ type: 'clause.versioned', changeKind: 'edited', deleted: false, proposalId: 'p9' }),
    ]);
    expect(sut.state.revision).toBe(s.revision + 1);
  });

  it('replaces or removes the heading when one is given', () => {
    const s = anAgreement({ clauses: [aClause({ heading: 'Peace' })] });
    expect(applyChange(s, { ...replaceC1, heading: ' War ' }, mediatorAuthor, null, aContext()).state.clauses[0].heading).toBe('War');
    expect(applyChange(s, { ...replaceC1, heading: null }, mediatorAuthor, null, aContext()).state.clauses[0].heading).toBeNull();
  });

  it('leaves the other clauses as they were', () => {
    const s = anAgreement();
    const sut = applyChange(s, replaceC1, mediatorAuthor, null, aContext());
    expect(sut.state.clauses[1]).toBe(s.clauses[1]);
  });

  it('deletes a clause: the rest renumber, the event carries its last version', () => {
    const s = anAgreement();
    const sut = applyChange(s, { kind: 'delete', clauseId: 'c1', baseVersion: 1 }, mediatorAuthor, null, aContext());
    expect(ids(sut.state)).toEqual(['c2']);
    expect(sut.events).toEqual([
      expect.objectContaining({ type: 'clause.versioned', changeKind: 'deleted', deleted: true, clause: { ...s.clauses[0], version: 2 } }),
    ]);
    expect(sut).toMatchObject({ clauseId: 'c1', version: 2 });
  });

  it("adds an option, supported by the author's party", () => {
    const sut = applyChange(
      anAgreement(),
      { kind: 'add_option', clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', text: 'along the valley' },
      { participantId: memberB.id, partyId: 'B' },
      'p1',
      aContext(),
    );
    const c2 = sut.state.clauses[1];
    expect(c2.version).toBe(4);
    expect(c2.wording.segments[0].options.map((o) => [o.id, o.supportedBy])).toEqual([
      ['A', ['A']],
      ['B', []],
      ['C', ['B']],
    ]);
    expect(sut.events).toEqual([expect.objectContaining({ changeKind: 'option_added', authorParticipantId: memberB.id })]);
  });

  it('resolves an option: the clause is no longer bracketed', () => {
    const sut = applyChange(
      anAgreement(),
      { kind: 'resolve_option', clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', optionId: 'A' },
      mediatorAuthor,
      null,
      aContext(),
    );
    expect(sut.state.clauses[1]).toMatchObject({
      version: 4,
      wording: { text: 'The border runs along the river.', segments: [] },
      marks: {},
    });
    expect(clauseState(sut.state.clauses[1], ['A', 'B'])).toBe('open');
    expect(sut.events).toEqual([expect.objectContaining({ changeKind: 'resolved' })]);
  });

  it.each<[string, ProposalChange]>([
    ['replace', { ...replaceC1, clauseId: 'c2', baseVersion: 2 }],
    ['delete', { kind: 'delete', clauseId: 'c2', baseVersion: 2 }],
    ['add_option', { kind: 'add_option', clauseId: 'c2', baseVersion: 4, segmentId: 'seg-1', text: 'x' }],
    ['resolve_option', { kind: 'resolve_option', clauseId: 'c2', baseVersion: 1, segmentId: 'seg-1', optionId: 'A' }],
  ])('refuses a %s based on a stale version, with the current one', (_n, change) => {
    const e = refusal(() => applyChange(anAgreement(), change, mediatorAuthor, null, aContext()));
    expect([e.code, e.field, e.details]).toEqual(['CLAUSE_VERSION_CONFLICT', 'baseVersion', { clauseId: 'c2', currentVersion: 3 }]);
  });

  it('refuses a change to a clause that is not there', () => {
    expect(
      codeOf(() => applyChange(anAgreement(), { kind: 'delete', clauseId: 'gone', baseVersion: 1 }, mediatorAuthor, null, aContext())),
    ).toBe('CLAUSE_NOT_FOUND');
  });

  it('refuses any change once the text is final', () => {
    expect(codeOf(() => applyChange(aFinalText(), insert(null), mediatorAuthor, null, aContext()))).toBe('AGREEMENT_FINAL');
  });
});

describe('editText', () => {
  it.each([lead, coMediator])('lets a mediator ($role) change the text directly, with no party support', (actor) => {
    const sut = editText(
      anAgreement(),
      actor,
      { kind: 'add_option', clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', text: 'x' },
      aContext(),
    );
    expect(sut.events).toEqual([expect.objectContaining({ authorParticipantId: actor.id, proposalId: null })]);
    expect(sut.state.clauses[1].wording.segments[0].options[2].supportedBy).toEqual([]);
  });
  it.each([
    ['a party member', memberA, 'MEDIATOR_ONLY'],
    ['a head of delegation', headA, 'MEDIATOR_ONLY'],
    ['an observer', observer, 'OBSERVER_READ_ONLY'],
  ])('refuses %s', (_n, actor, code) => {
    expect(codeOf(() => editText(anAgreement(), actor, replaceC1, aContext()))).toBe(code);
  });
});

describe('propose', () => {
  const cmd = (visibility: ProposalVisibility, over: Partial<Parameters<typeof propose>[2]> = {}) => ({
    change: replaceC1,
    visibility,
    counterTo: null,
    ...over,
  });

  it.each(PROPOSAL_VISIBILITIES)('lets a delegation propose %s', (visibility) => {
    const sut = propose(anAgreement(), memberA, cmd(visibility, { rationale: '  We  need this. ' }), aContext('p'));
    expect(sut.proposal).toEqual({
      id: 'p-1',
      change: replaceC1,
      origin: { kind: 'party', partyId: 'A', participantId: memberA.id },
      visibility,
      status: 'open',
      counterTo: null,
      counterPrivateTo: null,
      rationale: 'We need this.',
      responses: [],
      createdAt: at,
      decidedAt: null,
      adopted: null,
    });
    expect(sut.events).toEqual([{ type: 'proposal.made', proposal: sut.proposal }]);
  });

  it('stores the change cleaned, as it will be adopted', () => {
    const sut = propose(
      anAgreement(),
      memberA,
      cmd('tabled', { change: { ...replaceC1, wording: { text: '  The parties   agree. ' } } }),
      aContext(),
    );
    expect(sut.proposal.change).toEqual({ ...replaceC1, wording: { text: 'The parties agree.' } });
    const option = propose(
      anAgreement(),
      memberA,
      cmd('tabled', { change: { kind: 'add_option', clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', text: ' up  the hill ' } }),
      aContext(),
    );
    expect(option.proposal.change).toMatchObject({ text: 'up the hill' });
  });

  it('lets a mediator table a proposal', () => {
    const sut = propose(anAgreement(), coMediator, cmd('tabled'), aContext());
    expect(sut.proposal.origin).toEqual({ kind: 'mediator', participantId: coMediator.id });
  });

  it("refuses a mediator's private proposal: mediators draft privately in their draft", () => {
    const e = refusal(() => propose(anAgreement(), lead, cmd('private'), aContext()));
    expect([e.code, e.field]).toEqual(['VALIDATION_FAILED', 'visibility']);
  });

  it('refuses an observer', () => {
    expect(codeOf(() => propose(anAgreement(), observer, cmd('tabled'), aContext()))).toBe('OBSERVER_READ_ONLY');
  });

  it('refuses at once a proposal based on a stale version', () => {
    const e = refusal(() =>
      propose(anAgreement(), memberA, cmd('tabled', { change: { kind: 'delete', clauseId: 'c2', baseVersion: 2 } }), aContext()),
    );
    expect([e.code, e.details]).toEqual(['CLAUSE_VERSION_CONFLICT', { clauseId: 'c2', currentVersion: 3 }]);
  });

  it('refuses wording that could never be adopted', () => {
    expect(
      codeOf(() => propose(anAgreement(), memberA, cmd('tabled', { change: { ...replaceC1, wording: { text: 'a {{1}}' } } }), aContext())),
    ).toBe('WORDING_INVALID');
    expect(
      codeOf(() =>
        propose(
          anAgreement(),
          memberA,
          cmd('tabled', { change: { kind: 'add_option', clauseId: 'c2', baseVersion: 3, segmentId: 'nope', text: 'x' } }),
          aContext(),
        ),
      ),
    ).toBe('SEGMENT_NOT_FOUND');
  });

  it('answers a proposal the proposer can see', () => {
    const sut = propose(anAgreement(), memberB, cmd('tabled', { counterTo: aProposal() }), aContext());
    expect(sut.proposal.counterTo).toBe('p1');
  });

  it('does not let a party counter a proposal it may not see, nor learn that it exists', () => {
    const e = refusal(() =>
      propose(anAgreement(), memberB, cmd('tabled', { counterTo: aProposal({ visibility: 'private' }) }), aContext()),
    );
    expect([e.code, e.field]).toEqual(['PROPOSAL_NOT_FOUND', 'counterTo']);
  });

  it('refuses a hidden proposal as countered exactly like an unknown one, even once the text is final', () => {
    const e = refusal(() => propose(aFinalText(), memberB, cmd('tabled', { counterTo: aProposal({ visibility: 'private' }) }), aContext()));
    expect([e.code, e.field]).toEqual(['PROPOSAL_NOT_FOUND', 'counterTo']);
  });

  it('keeps the id of a countered private proposal with its delegation and the mediators', () => {
    const sut = propose(anAgreement(), lead, cmd('tabled', { counterTo: aProposal({ visibility: 'private' }) }), aContext()).proposal;
    expect(sut.counterPrivateTo).toBe('A');
    expect([lead, memberA, memberB, observer].map((v) => counterToFor(v, sut))).toEqual(['p1', 'p1', null, null]);
    const open = propose(anAgreement(), lead, cmd('tabled', { counterTo: aProposal() }), aContext()).proposal;
    expect([lead, memberA, memberB, observer].map((v) => counterToFor(v, open))).toEqual(['p1', 'p1', 'p1', 'p1']);
  });

  it('refuses a rationale that is too long, and drops an empty one', () => {
    const e = refusal(() => propose(anAgreement(), memberA, cmd('tabled', { rationale: 'x'.repeat(MAX_COMMENT_LENGTH + 1) }), aContext()));
    expect([e.code, e.field]).toEqual(['VALIDATION_FAILED', 'rationale']);
    expect(propose(anAgreement(), memberA, cmd('tabled', { rationale: '   ' }), aContext()).proposal.rationale).toBeNull();
  });
});

describe('respond', () => {
  it("records a party's answer to a tabled proposal", () => {
    const sut = respond(anAgreement(), memberB, aProposal(), { response: 'reserve', comment: ' Not yet. ' }, aContext());
    const response = { partyId: 'B', participantId: memberB.id, response: 'reserve', comment: 'Not yet.', respondedAt: at };
    expect(sut.proposal.responses).toEqual([response]);
    expect(sut.events).toEqual([{ type: 'proposal.responded', proposal: sut.proposal, response }]);
  });

  it("replaces the party's earlier answer, whoever of the delegation gave it, and keeps the others", () => {
    const first = respond(anAgreement(), memberA, aProposal(), { response: 'reject' }, aContext()).proposal;
    const second = respond(anAgreement(), memberB, first, { response: 'accept' }, aContext()).proposal;
    const sut = respond(anAgreement(), otherMemberA, second, { response: 'accept' }, aContext()).proposal;
    expect(sut.responses.map((r) => [r.partyId, r.participantId, r.response])).toEqual([
      ['B', memberB.id, 'accept'],
      ['A', otherMemberA.id, 'accept'],
    ]);
  });

  it('answers only tabled proposals', () => {
    expect(codeOf(() => respond(anAgreement(), memberA, aProposal({ visibility: 'private' }), { response: 'accept' }, aContext()))).toBe(
      'PROPOSAL_NOT_TABLED',
    );
  });

  it("does not reveal another party's private proposal", () => {
    expect(codeOf(() => respond(anAgreement(), memberB, aProposal({ visibility: 'private' }), { response: 'accept' }, aContext()))).toBe(
      'PROPOSAL_NOT_FOUND',
    );
  });

  it.each([
    ['a mediator', lead, 'PARTY_MEMBER_ONLY'],
    ['an observer', observer, 'PROPOSAL_NOT_FOUND'],
  ])('is for party members only, not %s', (_n, actor, code) => {
    expect(codeOf(() => respond(anAgreement(), actor, aProposal(), { response: 'accept' }, aContext()))).toBe(code);
  });

  it.each(['adopted', 'withdrawn'] as const)('refuses to answer a proposal that is %s', (status) => {
    expect(codeOf(() => respond(anAgreement(), memberB, aProposal({ status }), { response: 'accept' }, aContext()))).toBe(
      'PROPOSAL_NOT_OPEN',
    );
  });

  it('refuses a comment that is too long', () => {
    const e = refusal(() =>
      respond(anAgreement(), memberB, aProposal(), { response: 'reject', comment: 'x'.repeat(MAX_COMMENT_LENGTH + 1) }, aContext()),
    );
    expect([e.code, e.field]).toEqual(['VALIDATION_FAILED', 'comment']);
  });
});

describe('adopt', () => {
  it('makes the change a new version of the text, then records the adoption', () => {
    const s = anAgreement();
    const sut = adopt(s, coMediator, aProposal(), aContext());
    expect(sut.state.clauses[0]).toMatchObject({ id: 'c1', version: 2, wording: { text: 'The parties agree in full.' } });
    expect(sut.state.revision).toBe(s.revision + 1);
    expect(sut.proposal).toMatchObject({ id: 'p1', status: 'adopted', decidedAt: at, adopted: { clauseId: 'c1', version: 2 } });
    expect(sut.events).toEqual([
      expect.objectContaining({ type: 'clause.versioned', proposalId: 'p1', authorParticipantId: coMediator.id, changeKind: 'edited' }),
      { type: 'proposal.adopted', proposal: sut.proposal, clauseId: 'c1', version: 2 },
    ]);
  });

  it('adopts a private proposal of a delegation', () => {
    expect(adopt(anAgreement(), lead, aProposal({ visibility: 'private' }), aContext()).proposal.status).toBe('adopted');
  });

  it('names the inserted clause in the adoption', () => {
    const p = aProposal({ change: { kind: 'insert', afterClauseId: 'c1', wording: { text: 'Refugees may return.' } } });
    const sut = adopt(anAgreement(), lead, p, aContext());
    expect(sut.state.clauses.map((c) => c.id)).toEqual(['c1', 'id-1', 'c2']);
    expect(sut.proposal.adopted).toEqual({ clauseId: 'id-1', version: 1 });
  });

  it("records the proposing party's support for the option it added", () => {
    const p = aProposal({
      origin: { kind: 'party', partyId: 'B', participantId: memberB.id },
      change: { kind: 'add_option', clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', text: 'along the valley' },
    });
    const options = adopt(anAgreement(), lead, p, aContext()).state.clauses[1].wording.segments[0].options;
    expect(options.map((o) => [o.id, o.supportedBy])).toEqual([
      ['A', ['A']],
      ['B', []],
      ['C', ['B']],
    ]);
  });

  it('records no support for an option the mediator proposed', () => {
    const p = aProposal({
      origin: { kind: 'mediator', participantId: lead.id },
      change: { kind: 'add_option', clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', text: 'along the valley' },
    });
    expect(adopt(anAgreement(), lead, p, aContext()).state.clauses[1].wording.segments[0].options[2].supportedBy).toEqual([]);
  });

  it('refuses a proposal made on a version that has since changed, with the current version', () => {
    const e = refusal(() =>
      adopt(anAgreement(), lead, aProposal({ change: { ...replaceC1, clauseId: 'c2', baseVersion: 2 } }), aContext()),
    );
    expect([e.code, e.details]).toEqual(['CLAUSE_VERSION_CONFLICT', { clauseId: 'c2', currentVersion: 3 }]);
  });

  it.each([
    ['a member of the proposing party', memberA, 'MEDIATOR_ONLY'],
    ['a member of another party', memberB, 'MEDIATOR_ONLY'],
    ['an observer', observer, 'PROPOSAL_NOT_FOUND'],
  ])('is for mediators only, not %s', (_n, actor, code) => {
    expect(codeOf(() => adopt(anAgreement(), actor, aProposal(), aContext()))).toBe(code);
  });

  it("does not reveal another party's private proposal to a delegation", () => {
    expect(codeOf(() => adopt(anAgreement(), memberB, aProposal({ visibility: 'private' }), aContext()))).toBe('PROPOSAL_NOT_FOUND');
  });

  it.each(['adopted', 'withdrawn'] as const)('refuses a proposal that is %s', (status) => {
    expect(codeOf(() => adopt(anAgreement(), lead, aProposal({ status }), aContext()))).toBe('PROPOSAL_NOT_OPEN');
  });
});

describe('withdraw', () => {
  it.each([
    ['the mediator', lead],
    ['the proposer', memberA],
    ['another member of the proposing delegation', otherMemberA],
  ])('lets %s withdraw an open proposal', (_n, actor) => {
    const sut = withdraw(anAgreement(), actor, aProposal(), aContext());
    expect(sut.proposal).toMatchObject({ status: 'withdrawn', decidedAt: at });
    expect(sut.events).toEqual([{ type: 'proposal.withdrawn', proposal: sut.proposal, byParticipantId: actor.id }]);
  });

  it.each([
    ['another party, on a tabled proposal', memberB, aProposal(), 'PROPOSAL_NOT_YOURS'],
    ['another party, on a private proposal', memberB, aProposal({ visibility: 'private' }), 'PROPOSAL_NOT_FOUND'],
    [
      "a party, on the mediator's proposal",
      memberA,
      aProposal({ origin: { kind: 'mediator', participantId: lead.id } }),
      'PROPOSAL_NOT_YOURS',
    ],
    ['an observer', observer, aProposal(), 'PROPOSAL_NOT_FOUND'],
    ['anyone, once adopted', lead, aProposal({ status: 'adopted' }), 'PROPOSAL_NOT_OPEN'],
    ['anyone, once withdrawn', memberA, aProposal({ status: 'withdrawn' }), 'PROPOSAL_NOT_OPEN'],
  ])('refuses %s', (_n, actor, p, code) => {
    expect(codeOf(() => withdraw(anAgreement(), actor, p, aContext()))).toBe(code);
  });
});

describe('supportOption', () => {
  const cmd = { clauseId: 'c2', baseVersion: 3, segmentId: 'seg-1', optionId: 'A' };

  it("moves the delegation's support, without a new version", () => {
    const s = anAgreement();
    const sut = supportOption(s, memberB, cmd);
    expect(sut.state.clauses[1]).toMatchObject({ version: 3 });
    expect(sut.state.clauses[1].wording.segments[0].options.map((o) => o.supportedBy)).toEqual([['A', 'B'], []]);
    expect(sut.state.revision).toBe(s.revision + 1);
    expect(sut.events).toEqual([
      { type: 'option.supported', clauseId: 'c2', version: 3, segmentId: 'seg-1', optionId: 'A', partyId: 'B', participantId: memberB.id },
    ]);
  });

  it.each([
    ['a mediator', lead, cmd, 'PARTY_MEMBER_ONLY'],
    ['an observer', observer, cmd, 'OBSERVER_READ_ONLY'],
    ['a stale version', memberA, { ...cmd, baseVersion: 2 }, 'CLAUSE_VERSION_CONFLICT'],
    ['an unknown clause', memberA, { ...cmd, clauseId: 'gone' }, 'CLAUSE_NOT_FOUND'],
    ['an unknown segment', memberA, { ...cmd, segmentId: 'gone' }, 'SEGMENT_NOT_FOUND'],
    ['an unknown option', memberA, { ...cmd, optionId: 'Q' }, 'OPTION_NOT_FOUND'],
    ['withdrawing, by a mediator', lead, { ...cmd, optionId: null }, 'PARTY_MEMBER_ONLY'],
    ['withdrawing, by an observer', observer, { ...cmd, optionId: null }, 'OBSERVER_READ_ONLY'],
    ['withdrawing on a stale version', memberA, { ...cmd, optionId: null, baseVersion: 2 }, 'CLAUSE_VERSION_CONFLICT'],
  ])('refuses %s', (_n, actor, c, code) => {
    expect(codeOf(() => supportOption(anAgreement(), actor, c))).toBe(code);
  });

  it('refuses to withdraw support the delegation does not give (nothing to audit)', () => {
    const withdrawn = supportOption(anAgreement(), memberB, { ...cmd, optionId: null }).state;
    expect(withdrawn.clauses[1].wording.segments[0].options.map((o) => o.supportedBy)).toEqual([['A'], []]);
    expect(codeOf(() => supportOption(withdrawn, memberB, { ...cmd, optionId: null }))).toBe('OPTION_NOT_SUPPORTED');
  });

  it("withdraws the delegation's support (optionId null), leaving the others'", () => {
    const s = supportOption(anAgreement(), memberB, cmd).state;
    const sut = supportOption(s, memberA, { ...cmd, optionId: null });
    expect(sut.state.clauses[1]).toMatchObject({ version: 3 });
    expect(sut.state.clauses[1].wording.segments[0].options.map((o) => o.supportedBy)).toEqual([['B'], []]);
    expect(sut.events).toEqual([
      { type: 'option.supported', clauseId: 'c2', version: 3, segmentId: 'seg-1', optionId: null, partyId: 'A', participantId: memberA.id },
    ]);
  });
});

describe('mark', () => {
  const c1 = (level: 'none' | 'ad_referendum' | 'agreed', baseVersion = 1) => ({ clauseId: 'c1', baseVersion, level });

  it('takes a clause from open to agreed ad referendum to agreed, party by party', () => {
    let s = anAgreement();
    const states: string[] = [];
    for (const [actor, level] of [
      [memberA, 'ad_referendum'],
      [memberB, 'ad_referendum'],
      [memberA, 'agreed'],
      [headB, 'agreed'],
    ] as const) {
      s = mark(s, actor, c1(level)).state;
      states.push(clauseState(s.clauses[0], s.partyIds));
    }
    expect(states).toEqual(['open', 'agreed_ad_referendum', 'agreed_ad_referendum', 'agreed']);
    expect(s.clauses[0]).toMatchObject({ version: 1, marks: { A: 'agreed', B: 'agreed' } });
    expect(s.revision).toBe(anAgreement().revision + 4);
  });

  it('announces the mark on the current version', () => {
    const sut = mark(anAgreement(), memberA, c1('ad_referendum'));
    expect(sut.events).toEqual([
      { type: 'clause.marked', clauseId: 'c1', version: 1, partyId: 'A', participantId: memberA.id, level: 'ad_referendum' },
    ]);
  });

  it("takes the party's mark back with none, leaving the other party's", () => {
    const s = anAgreement({ clauses: [aClause({ marks: { A: 'agreed', B: 'ad_referendum' } })] });
    expect(mark(s, memberA, c1('none')).state.clauses[0].marks).toEqual({ B: 'ad_referendum' });
  });

  it('refuses to agree a clause with open brackets, but lets a party take its mark back', () => {
    expect(codeOf(() => mark(anAgreement(), memberA, { clauseId: 'c2', baseVersion: 3, level: 'ad_referendum' }))).toBe('CLAUSE_BRACKETED');
    expect(codeOf(() => mark(anAgreement(), memberA, { clauseId: 'c2', baseVersion: 3, level: 'agreed' }))).toBe('CLAUSE_BRACKETED');
    expect(codeOf(() => mark(anAgreement(), memberA, { clauseId: 'c2', baseVersion: 3, level: 'none' }))).toBe('allow');
  });

  it('refuses agreed before ad referendum', () => {
    const e = refusal(() => mark(anAgreement(), memberA, c1('agreed')));
    expect([e.code, e.field]).toEqual(['AD_REFERENDUM_FIRST', 'level']);
  });

  it('refuses a mark on a version that has since changed', () => {
    const e = refusal(() => mark(anAgreement(), memberA, c1('ad_referendum', 0)));
    expect([e.code, e.details]).toEqual(['CLAUSE_VERSION_CONFLICT', { clauseId: 'c1', currentVersion: 1 }]);
  });

  it('drops every mark when the clause gets a new version', () => {
    let s = anAgreement();
    s = mark(s, memberA, c1('ad_referendum')).state;
    s = editText(s, lead, replaceC1, aContext()).state;
    expect(s.clauses[0].marks).toEqual({});
    expect(codeOf(() => mark(s, memberA, c1('agreed', 2)))).toBe('AD_REFERENDUM_FIRST');
  });

  it.each([
    ['a mediator', lead, 'PARTY_MEMBER_ONLY'],
    ['an observer', observer, 'OBSERVER_READ_ONLY'],
  ])('is for delegations only, not %s', (_n, actor, code) => {
    expect(codeOf(() => mark(anAgreement(), actor, c1('ad_referendum')))).toBe(code);
  });
});

describe('finalise', () => {
  it('refuses an empty text', () => {
    const e = refusal(() => finalise(anAgreement({ clauses: [] }), lead, HASH, aContext()));
    expect([e.code, e.details]).toEqual(['AGREEMENT_NOT_READY', { pendingClauses: 0 }]);
  });

  it('refuses while a clause is not agreed by every party: nothing is agreed until everything is agreed', () => {
    const s = anAgreement({
      clauses: [
        aClause({ marks: agreedByAll }),
        aClause({ id: 'c2', marks: { A: 'agreed', B: 'ad_referendum' } }),
        aClause({ id: 'c3', wording: disputedWording() }),
      ],
    });
    const e = refusal(() => finalise(s, lead, HASH, aContext()));
    expect([e.code, e.details]).toEqual(['AGREEMENT_NOT_READY', { pendingClauses: 2 }]);
  });

  it('freezes the agreed text with its hash', () => {
    const s = anAgreedText();
    const sut = finalise(s, coMediator, HASH, aContext());
    expect(sut.state).toEqual({ ...s, status: 'final', revision: s.revision + 1, finalSha256: HASH, finalisedAt: at });
    expect(sut.events).toEqual([{ type: 'agreement.finalised', sha256: HASH, participantId: coMediator.id }]);
  });

  it.each([
    ['a party member', headA, 'MEDIATOR_ONLY'],
    ['an observer', observer, 'OBSERVER_READ_ONLY'],
  ])('is for mediators only, not %s', (_n, actor, code) => {
    expect(codeOf(() => finalise(anAgreedText(), actor, HASH, aContext()))).toBe(code);
  });

  describe('then nothing changes any more', () => {
    const final = () => finalise(anAgreedText(), lead, HASH, aContext()).state;
    it.each<[string, (s: AgreementState) => unknown]>([
      ['editText', (s) => editText(s, lead, replaceC1, aContext())],
      ['propose', (s) => propose(s, memberA, { change: replaceC1, visibility: 'tabled', counterTo: null }, aContext())],
      ['respond', (s) => respond(s, memberB, aProposal(), { response: 'accept' }, aContext())],
      ['adopt', (s) => adopt(s, lead, aProposal(), aContext())],
      ['withdraw', (s) => withdraw(s, memberA, aProposal(), aContext())],
      ['supportOption', (s) => supportOption(s, memberA, { clauseId: 'c2', baseVersion: 2, segmentId: 'seg-1', optionId: 'A' })],
      ['mark', (s) => mark(s, memberA, { clauseId: 'c1', baseVersion: 1, level: 'none' })],
      ['finalise', (s) => finalise(s, lead, HASH, aContext())],
    ])('%s → AGREEMENT_FINAL', (_n, act) => {
      expect(codeOf(() => act(final()))).toBe('AGREEMENT_FINAL');
    });
  });
});

describe('signOff', () => {
  const REAUTH = { method: 'password', at: '2026-01-01T00:00:00.000Z' } as const;
  it("records the head of delegation's sign-off of the exact hash", () => {
    const s = aFinalText();
    const sut = signOff(s, headA, HASH, aContext(), REAUTH);
    const signed = { partyId: 'A', participantId: headA.id, sha256: HASH, signedAt: at };
    expect(sut.state).toEqual({ ...s, signOffs: [signed], status: 'final', revision: s.revision + 1 });
    expect(sut.events).toEqual([{ type: 'agreement.signed_off', signOff: signed, complete: false, reauthenticated: REAUTH }]);
  });

  it('accepts the hash in upper case', () => {
    expect(signOff(aFinalText(), headA, HASH.toUpperCase(), aContext(), REAUTH).state.signOffs[0].sha256).toBe(HASH);
  });

  it('is signed when every party has signed off', () => {
    const once = signOff(aFinalText(), headA, HASH, aContext(), REAUTH).state;
    const sut = signOff(once, headB, HASH, aContext(), REAUTH);
    expect(sut.state.status).toBe('signed');
    expect(sut.state.signOffs.map((x) => x.partyId)).toEqual(['A', 'B']);
    expect(sut.events).toEqual([expect.objectContaining({ type: 'agreement.signed_off', complete: true })]);
  });

  it('refuses a second sign-off of the same delegation', () => {
    const once = signOff(aFinalText(), headA, HASH, aContext(), REAUTH).state;
    expect(codeOf(() => signOff(once, headA, HASH, aContext(), REAUTH))).toBe('ALREADY_SIGNED');
  });

  it('refuses another hash, and tells the final one', () => {
    const e = refusal(() => signOff(aFinalText(), headA, 'cd'.repeat(32), aContext(), REAUTH));
    expect([e.code, e.field, e.details]).toEqual(['SIGNOFF_HASH_MISMATCH', 'sha256', { finalSha256: HASH }]);
  });

  it('refuses while the text is still being drafted', () => {
    expect(codeOf(() => signOff(anAgreedText(), headA, HASH, aContext(), REAUTH))).toBe('AGREEMENT_NOT_FINAL');
  });

  it.each([
    ['a member who is not the head', memberA, 'HEAD_OF_DELEGATION_ONLY'],
    ['a mediator', lead, 'PARTY_MEMBER_ONLY'],
    ['an observer', observer, 'OBSERVER_READ_ONLY'],
  ])('is for the head of delegation only, not %s', (_n, actor, code) => {
    expect(codeOf(() => signOff(aFinalText(), actor, HASH, aContext(), REAUTH))).toBe(code);
  });
});

describe('mayViewProposal: viewer × origin × visibility', () => {
  const VIEWERS = {
    lead_mediator: lead,
    co_mediator: coMediator,
    'member of the proposing party (A)': memberA,
    'member of another party (B)': memberB,
    observer,
  };
  type Viewer = keyof typeof VIEWERS;
  const ORIGINS = {
    'party A': { kind: 'party', partyId: 'A', participantId: otherMemberA.id },
    mediator: { kind: 'mediator', participantId: lead.id },
  } as const;
  type Origin = keyof typeof ORIGINS;
  const T = true;
  const F = false;
  /** [private, tabled] per origin. */
  const TABLE: Record<Viewer, Record<Origin, [boolean, boolean]>> = {
    lead_mediator: { 'party A': [T, T], mediator: [T, T] },
    co_mediator: { 'party A': [T, T], mediator: [T, T] },
    'member of the proposing party (A)': { 'party A': [T, T], mediator: [F, T] },
    'member of another party (B)': { 'party A': [F, T], mediator: [F, T] },
    observer: { 'party A': [F, F], mediator: [F, F] },
  };
  const cases = (Object.keys(VIEWERS) as Viewer[]).flatMap((viewer) =>
    (Object.keys(ORIGINS) as Origin[]).flatMap((origin) =>
      PROPOSAL_VISIBILITIES.map(
        (visibility) => [viewer, origin, visibility, TABLE[viewer][origin][visibility === 'private' ? 0 : 1]] as const,
      ),
    ),
  );

  it.each(cases)('%s, proposal of %s, %s → %s', (viewer, origin, visibility, expected) => {
    expect(mayViewProposal(VIEWERS[viewer], { origin: ORIGINS[origin], visibility })).toBe(expected);
  });

  it.each(cases.filter(([, , , visible]) => !visible))(
    '%s, proposal of %s, %s: every action answers PROPOSAL_NOT_FOUND',
    (viewer, origin, visibility) => {
      const actor = VIEWERS[viewer];
      const p = aProposal({ origin: ORIGINS[origin], visibility });
      expect([
        codeOf(() => respond(anAgreement(), actor, p, { response: 'accept' }, aContext())),
        codeOf(() => adopt(anAgreement(), actor, p, aContext())),
        codeOf(() => withdraw(anAgreement(), actor, p, aContext())),
        codeOf(() => propose(anAgreement(), actor, { change: replaceC1, visibility: 'tabled', counterTo: p }, aContext())),
      ]).toEqual(
        viewer === 'observer'
          ? ['PROPOSAL_NOT_FOUND', 'PROPOSAL_NOT_FOUND', 'PROPOSAL_NOT_FOUND', 'OBSERVER_READ_ONLY']
          : ['PROPOSAL_NOT_FOUND', 'PROPOSAL_NOT_FOUND', 'PROPOSAL_NOT_FOUND', 'PROPOSAL_NOT_FOUND'],
      );
    },
  );

  it('keeps the negotiation from observers only', () => {
    expect(codeOf(() => assertMaySeeNegotiation(observer))).toBe('OBSERVER_TABLED_ONLY');
    expect(codeOf(() => assertMaySeeNegotiation(aParticipant('interpreter', { broughtByPartyId: 'A', languages: ['ar', 'en'] })))).toBe(
      'OBSERVER_TABLED_ONLY',
    );
    expect([lead, coMediator, memberA].map((p) => codeOf(() => assertMaySeeNegotiation(p)))).toEqual(['allow', 'allow', 'allow']);
  });
});

describe('assertMayAct: role × session status', () => {
  const TABLE: Record<ParticipantRole, Record<SessionStatus, string>> = {
    lead_mediator: { draft: 'allow', open: 'allow', suspended: 'allow', closed: 'SESSION_CLOSED' },
    co_mediator: { draft: 'allow', open: 'allow', suspended: 'allow', closed: 'SESSION_CLOSED' },
    party_member: { draft: 'SESSION_NOT_OPEN', open: 'allow', suspended: 'SESSION_NOT_OPEN', closed: 'SESSION_CLOSED' },
    observer: { draft: 'OBSERVER_READ_ONLY', open: 'OBSERVER_READ_ONLY', suspended: 'OBSERVER_READ_ONLY', closed: 'OBSERVER_READ_ONLY' },
    interpreter: { draft: 'OBSERVER_READ_ONLY', open: 'OBSERVER_READ_ONLY', suspended: 'OBSERVER_READ_ONLY', closed: 'OBSERVER_READ_ONLY' },
  };
  const cases = PARTICIPANT_ROLES.flatMap((role) => SESSION_STATUSES.map((status) => [role, status, TABLE[role][status]] as const));

  it.each(cases)('%s in a %s session → %s', (role, status, expected) => {
    expect(codeOf(() => assertMayAct(aParticipant(role, role === 'party_member' ? { partyId: 'A' } : {}), status))).toBe(expected);
  });
});

describe('assertMayDraft: actor × draft × where the actor is', () => {
  const caucusA = aRoom('caucus', { id: 'caucus-A', partyId: 'A' });
  const caucusB = aRoom('caucus', { id: 'caucus-B', partyId: 'B' });
  const plenary = aRoom('plenary', { id: 'plenary' });
  const WHERE = { 'caucus A': caucusA.id, 'caucus B': caucusB.id, plenary: plenary.id, lobby: null } as const;
  type Where = keyof typeof WHERE;
  const SCOPES: Record<string, DraftScope> = {
    mediators: { kind: 'mediators' },
    'party A': { kind: 'party', partyId: 'A' },
    'party B': { kind: 'party', partyId: 'B' },
  };
  const caucusOf = (scope: DraftScope) => (scope.kind === 'party' ? (scope.partyId === 'A' ? caucusA : caucusB) : null);
  const ACTORS: Record<string, LocatedParticipant> = {
    lead_mediator: lead,
    co_mediator: coMediator,
    'member of A': memberA,
    'head of A': headA,
    'member of B': memberB,
    observer,
  };

  const everywhere = (outcome: string): Record<Where, string> => ({
    'caucus A': outcome,
    'caucus B': outcome,
    plenary: outcome,
    lobby: outcome,
  });
  const FORBIDDEN = everywhere('DRAFT_FORBIDDEN');
  const onlyIn = (room: Where): Record<Where, string> => ({ ...everywhere('NOT_IN_ROOM'), [room]: 'allow' });
  const TABLE: Record<string, Record<string, Record<Where, string>>> = {
    lead_mediator: { mediators: everywhere('allow'), 'party A': everywhere('allow'), 'party B': everywhere('allow') },
    co_mediator: { mediators: everywhere('allow'), 'party A': everywhere('allow'), 'party B': everywhere('allow') },
    'member of A': { mediators: FORBIDDEN, 'party A': onlyIn('caucus A'), 'party B': FORBIDDEN },
    'head of A': { mediators: FORBIDDEN, 'party A': onlyIn('caucus A'), 'party B': FORBIDDEN },
    'member of B': { mediators: FORBIDDEN, 'party A': FORBIDDEN, 'party B': onlyIn('caucus B') },
    observer: { mediators: FORBIDDEN, 'party A': FORBIDDEN, 'party B': FORBIDDEN },
  };
  const cases = Object.keys(ACTORS).flatMap((actor) =>
    Object.keys(SCOPES).flatMap((scope) =>
      (Object.keys(WHERE) as Where[]).map((where) => [actor, scope, where, TABLE[actor][scope][where]] as const),
    ),
  );

  it.each(cases)('%s, %s draft, in %s → %s', (actor, scope, where, expected) => {
    const located = { ...ACTORS[actor], roomId: WHERE[where] };
    expect(codeOf(() => assertMayDraft(located, SCOPES[scope], caucusOf(SCOPES[scope])))).toBe(expected);
  });

  it("cuts the delegation's draft when its caucus is closed or not there", () => {
    const inCaucus = { ...memberA, roomId: caucusA.id };
    expect(codeOf(() => assertMayDraft(inCaucus, { kind: 'party', partyId: 'A' }, { ...caucusA, closed: true }))).toBe('NOT_IN_ROOM');
    expect(codeOf(() => assertMayDraft(inCaucus, { kind: 'party', partyId: 'A' }, null))).toBe('NOT_IN_ROOM');
  });

  it("accepts only the delegation's own caucus as the place its draft is written", () => {
    const inRoom = (room: typeof caucusA) =>
      codeOf(() => assertMayDraft({ ...memberA, roomId: room.id }, { kind: 'party', partyId: 'A' }, room));
    expect(inRoom(caucusA)).toBe('allow');
    expect(inRoom({ ...caucusA, partyId: 'B' })).toBe('NOT_IN_ROOM');
    expect(inRoom({ ...caucusA, kind: 'plenary', partyId: null })).toBe('NOT_IN_ROOM');
  });

  it('keeps each draft under its own name', () => {
    expect(draftKey('s1', { kind: 'mediators' })).toBe('s1:mediators');
    expect(draftKey('s1', { kind: 'party', partyId: 'A' })).toBe('s1:party:A');
    expect(draftKey('s1', { kind: 'party', partyId: 'A' })).not.toBe(draftKey('s1', { kind: 'party', partyId: 'B' }));
  });
});
