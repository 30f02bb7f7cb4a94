import { DomainError } from '@parley/platform/domain';
import type {
  ClauseChangeKind,
  ClauseState,
  MarkLevel,
  ProposalChange,
  ProposalResponse,
  ProposalVisibility,
  SessionStatus,
} from '@parley/contracts';
import { isMediator, type Participant } from '@parley/sessions/domain';
import type {
  AgreementEvent,
  AgreementState,
  Clause,
  Decision,
  DecisionContext,
  Proposal,
  Reauthenticated,
  Response,
  Wording,
} from './model';
import {
  addOption,
  cleanHeading,
  cleanOptionText,
  cleanText,
  findOption,
  findSegment,
  isBracketed,
  parseWording,
  resolve,
  support,
} from './wording';
import { mayViewProposal, readsAsTabled } from './audience.policy';

export { mayViewProposal };

export const MAX_COMMENT_LENGTH = 2000;

/**
 * A clause's state, from its wording and the parties' marks on its current version: bracketed while
 * a disputed segment is open; agreed when every party agreed; agreed ad referendum when every party
 * agreed at least ad referendum; open otherwise. With no parties nothing is agreed.
 */
export function clauseState(clause: Clause, partyIds: readonly string[]): ClauseState {
  if (isBracketed(clause.wording)) return 'bracketed';
  if (!partyIds.length) return 'open';
  const marks = partyIds.map((p) => clause.marks[p]);
  if (marks.every((m) => m === 'agreed')) return 'agreed';
  if (marks.every((m) => m === 'agreed' || m === 'ad_referendum')) return 'agreed_ad_referendum';
  return 'open';
}

/** Nothing is agreed until everything is agreed. */
export const everythingAgreed = (s: AgreementState): boolean =>
  s.clauses.length > 0 && s.clauses.every((c) => clauseState(c, s.partyIds) === 'agreed');

export function findClause(s: AgreementState, clauseId: string, field = 'clauseId'): Clause {
  const c = s.clauses.find((x) => x.id === clauseId);
  if (!c) throw new DomainError('CLAUSE_NOT_FOUND', 'No such clause in this text (it may have been deleted).', field);
  return c;
}

/** A change based on an older version is refused with the current one: never a silent overwrite. */
export function assertCurrent(clause: Clause, baseVersion: number): void {
  if (clause.version !== baseVersion) {
    throw new DomainError('CLAUSE_VERSION_CONFLICT', `The clause is at version ${clause.version}, not ${baseVersion}.`, 'baseVersion', {
      clauseId: clause.id,
      currentVersion: clause.version,
    });
  }
}

function assertDrafting(s: AgreementState): void {
  if (s.status !== 'drafting') throw new DomainError('AGREEMENT_FINAL', 'The text is final: it can no longer change.');
}

/**
 * Who may act on the text, and when: mediators while the session is not closed (they prepare
 * the text in draft and during a suspension); party members only while it is open; observers never.
 */
export function assertMayAct(actor: Participant, status: SessionStatus): void {
  if (readsAsTabled(actor)) throw new DomainError('OBSERVER_READ_ONLY', 'Observers and interpreters are read-only.');
  if (status === 'closed') throw new DomainError('SESSION_CLOSED', 'The session is closed.');
  if (!isMediator(actor) && status !== 'open') throw new DomainError('SESSION_NOT_OPEN', `The session is ${status}.`);
}

function assertPartyMember(actor: Participant): string {
  if (actor.role !== 'party_member' || !actor.partyId) {
    throw new DomainError(readsAsTabled(actor) ? 'OBSERVER_READ_ONLY' : 'PARTY_MEMBER_ONLY', 'Only a delegation does this.');
  }
  return actor.partyId;
}

export function assertMediatorActor(actor: Participant): void {
  if (!isMediator(actor)) {
    throw new DomainError(readsAsTabled(actor) ? 'OBSERVER_READ_ONLY' : 'MEDIATOR_ONLY', 'Only a mediator may change the text directly.');
  }
}

const bump = (s: AgreementState, clauses: readonly Clause[]): AgreementState => ({ ...s, clauses, revision: s.revision + 1 });

/**
 * The one place a change of the text happens, whether the mediator writes it directly or adopts a
 * proposal: a new version of the clause (marks start afresh), renumbering by position.
 */
export function applyChange(
  s: AgreementState,
  change: ProposalChange,
  author: { participantId: string; partyId: string | null },
  proposalId: string | null,
  ctx: DecisionContext,
): Decision & { clauseId: string; version: number } {
  assertDrafting(s);
  const versioned = (clause: Clause, changeKind: ClauseChangeKind, deleted = false): AgreementEvent => ({
    type: 'clause.versioned',
    clause,
    deleted,
    changeKind,
    authorParticipantId: author.participantId,
    proposalId,
  });
  const next = (c: Clause, wording: Wording, heading = c.heading): Clause => ({
    ...c,
    version: c.version + 1,
    wording,
    heading,
    marks: {},
  });
  const put = (clauses: readonly Clause[], c: Clause) => clauses.map((x) => (x.id === c.id ? c : x));

  if (change.kind === 'insert') {
    const wording = parseWording(change.wording, s.partyIds, ctx.newId);
    const clause: Clause = { id: ctx.newId(), version: 1, heading: cleanHeading(change.heading), wording, marks: {} };
    const at = change.afterClauseId === null ? 0 : s.clauses.indexOf(findClause(s, change.afterClauseId, 'afterClauseId')) + 1;
    const clauses = [...s.clauses.slice(0, at), clause, ...s.clauses.slice(at)];
    return { state: bump(s, clauses), events: [versioned(clause, 'created')], clauseId: clause.id, version: 1 };
  }

  const current = findClause(s, change.clauseId);
  assertCurrent(current, change.baseVersion);
  switch (change.kind) {
    case 'replace': {
      const heading = change.heading === undefined ? current.heading : cleanHeading(change.heading);
      const c = next(current, parseWording(change.wording, s.partyIds, ctx.newId), heading);
      return { state: bump(s, put(s.clauses, c)), events: [versioned(c, 'edited')], clauseId: c.id, version: c.version };
    }
    case 'delete': {
      const c: Clause = { ...current, version: current.version + 1, marks: {} };
      return {
        state: bump(
          s,
          s.clauses.filter((x) => x.id !== c.id),
        ),
        events: [versioned(c, 'deleted', true)],
        clauseId: c.id,
        version: c.version,
      };
    }
    case 'add_option': {
      const c = next(current, addOption(current.wording, change.segmentId, change.text, author.partyId));
      return { state: bump(s, put(s.clauses, c)), events: [versioned(c, 'option_added')], clauseId: c.id, version: c.version };
    }
    case 'resolve_option': {
      const c = next(current, resolve(current.wording, change.segmentId, change));
      return { state: bump(s, put(s.clauses, c)), events: [versioned(c, 'resolved')], clauseId: c.id, version: c.version };
    }
  }
}

/**
 * The mediator changes the text directly (insert, replace, delete, add or resolve an option).
 * `reauthenticated`: the fresh proof the caller checked (a delete needs one, see EditTextUseCase);
 * it goes with the clause's new version into the audit.
 */
export function editText(
  s: AgreementState,
  actor: Participant,
  change: ProposalChange,
  ctx: DecisionContext,
  reauthenticated?: Reauthenticated,
) {
  assertMediatorActor(actor);
  const d = applyChange(s, change, { participantId: actor.id, partyId: null }, null, ctx);
  if (!reauthenticated) return d;
  return { ...d, events: d.events.map((e): AgreementEvent => (e.type === 'clause.versioned' ? { ...e, reauthenticated } : e)) };
}

/**
 * Checks a proposed change against the current text, as an adoption would, without changing it:
 * a proposal on a stale version is refused at once, as is wording that could never be adopted.
 */
function normaliseChange(s: AgreementState, change: ProposalChange, proposer: string | null, ctx: DecisionContext): ProposalChange {
  applyChange(s, change, { participantId: 'check', partyId: proposer }, null, { now: ctx.now, newId: () => 'check' });
  switch (change.kind) {
    case 'add_option':
      return { ...change, text: cleanOptionText(change.text, 'text') };
    case 'resolve_option':
      return change.text === undefined ? change : { ...change, text: cleanText(change.text) };
    case 'delete':
      return change;
    case 'insert':
    case 'replace':
      return { ...change, wording: { ...change.wording, text: cleanText(change.wording.text) } };
  }
}

/**
 * A delegation proposes privately to the mediators or tables openly; a mediator's proposals are
 * always tabled (the mediator team drafts privately in its live draft instead).
 */
export function propose(
  s: AgreementState,
  actor: Participant,
  cmd: { change: ProposalChange; visibility: ProposalVisibility; counterTo: Proposal | null; rationale?: string | null },
  ctx: DecisionContext,
): { proposal: Proposal; events: AgreementEvent[] } {
  if (readsAsTabled(actor)) throw new DomainError('OBSERVER_READ_ONLY', 'Observers and interpreters are read-only.');
  if (cmd.counterTo && !mayViewProposal(actor, cmd.counterTo)) throw proposalNotFound('counterTo');
  assertDrafting(s);
  const mediator = isMediator(actor);
  if (mediator && cmd.visibility === 'private') {
    throw new DomainError('VALIDATION_FAILED', "A mediator's proposals are tabled; draft privately in the mediators' draft.", 'visibility');
  }
  const partyId = mediator ? null : actor.partyId;
  const proposal: Proposal = {
    id: ctx.newId(),
    change: normaliseChange(s, cmd.change, partyId, ctx),
    origin: mediator ? { kind: 'mediator', participantId: actor.id } : { kind: 'party', partyId: partyId!, participantId: actor.id },
    visibility: cmd.visibility,
    status: 'open',
    counterTo: cmd.counterTo?.id ?? null,
    counterPrivateTo:
      cmd.counterTo?.visibility === 'private' && cmd.counterTo.origin.kind === 'party' ? cmd.counterTo.origin.partyId : null,
    rationale: cleanComment(cmd.rationale, 'rationale'),
    responses: [],
    createdAt: ctx.now.toISOString(),
    decidedAt: null,
    adopted: null,
  };
  return { proposal, events: [{ type: 'proposal.made', proposal }] };
}

function cleanComment(raw: string | null | undefined, field: string): string | null {
  if (raw === undefined || raw === null) return null;
  const text = cleanText(raw);
  if (text.length > MAX_COMMENT_LENGTH)
    throw new DomainError('VALIDATION_FAILED', `${field} must be at most ${MAX_COMMENT_LENGTH} characters`, field);
  return text.length ? text : null;
}

export const proposalNotFound = (field = 'proposalId') => new DomainError('PROPOSAL_NOT_FOUND', 'No such proposal.', field);

function assertOpen(p: Proposal): void {
  if (p.status !== 'open') throw new DomainError('PROPOSAL_NOT_OPEN', `The proposal is ${p.status}.`, 'proposalId');
}

/** Each party answers a tabled proposal: accept, reject or reserve, with a comment. A new answer replaces the party's last. */
export function respond(
  s: AgreementState,
  actor: Participant,
  p: Proposal,
  cmd: { response: ProposalResponse; comment?: string | null },
  ctx: DecisionContext,
): { proposal: Proposal; events: AgreementEvent[] } {
  if (!mayViewProposal(actor, p)) throw proposalNotFound();
  assertDrafting(s);
  const partyId = assertPartyMember(actor);
  if (p.visibility !== 'tabled')
    throw new DomainError('PROPOSAL_NOT_TABLED', 'Only a tabled proposal is answered by the parties.', 'proposalId');
  assertOpen(p);
  const response: Response = {
    partyId,
    participantId: actor.id,
    response: cmd.response,
    comment: cleanComment(cmd.comment, 'comment'),
    respondedAt: ctx.now.toISOString(),
  };
  const proposal: Proposal = { ...p, responses: [...p.responses.filter((r) => r.partyId !== partyId), response] };
  return { proposal, events: [{ type: 'proposal.responded', proposal, response }] };
}

/** The mediator adopts a proposal: its change becomes a new version of the text. */
export function adopt(s: AgreementState, actor: Participant, p: Proposal, ctx: DecisionContext): Decision & { proposal: Proposal } {
  if (!mayViewProposal(actor, p)) throw proposalNotFound();
  assertMediatorActor(actor);
  assertOpen(p);
  const partyId = p.origin.kind === 'party' ? p.origin.partyId : null;
  const applied = applyChange(s, p.change, { participantId: actor.id, partyId }, p.id, ctx);
  const proposal: Proposal = {
    ...p,
    status: 'adopted',
    decidedAt: ctx.now.toISOString(),
    adopted: { clauseId: applied.clauseId, version: applied.version },
  };
  return {
    state: applied.state,
    proposal,
    events: [...applied.events, { type: 'proposal.adopted', proposal, clauseId: applied.clauseId, version: applied.version }],
  };
}

/** The mediator, or the delegation that made it, withdraws an open proposal. */
export function withdraw(
  s: AgreementState,
  actor: Participant,
  p: Proposal,
  ctx: DecisionContext,
): { proposal: Proposal; events: AgreementEvent[] } {
  if (!mayViewProposal(actor, p)) throw proposalNotFound();
  if (readsAsTabled(actor)) throw new DomainError('OBSERVER_READ_ONLY', 'Observers and interpreters are read-only.');
  const ownParty = p.origin.kind === 'party' && actor.role === 'party_member' && actor.partyId === p.origin.partyId;
  if (!isMediator(actor) && !ownParty)
    throw new DomainError('PROPOSAL_NOT_YOURS', 'Only the mediators or the proposing delegation may withdraw it.', 'proposalId');
  assertDrafting(s);
  assertOpen(p);
  const proposal: Proposal = { ...p, status: 'withdrawn', decidedAt: ctx.now.toISOString() };
  return { proposal, events: [{ type: 'proposal.withdrawn', proposal, byParticipantId: actor.id }] };
}

/**
 * A delegation records which option of a disputed segment it supports, or (`optionId: null`)
 * withdraws its support; withdrawing support it does not give is refused, so that nothing is audited
 * that did not happen.
 */
export function supportOption(
  s: AgreementState,
  actor: Participant,
  cmd: { clauseId: string; baseVersion: number; segmentId: string; optionId: string | null },
): Decision {
  const partyId = assertPartyMember(actor);
  assertDrafting(s);
  const clause = findClause(s, cmd.clauseId);
  assertCurrent(clause, cmd.baseVersion);
  const segment = findSegment(clause.wording, cmd.segmentId);
  if (cmd.optionId !== null) findOption(segment, cmd.optionId);
  else if (!segment.options.some((o) => o.supportedBy.includes(partyId)))
    throw new DomainError('OPTION_NOT_SUPPORTED', "Your delegation supports none of this segment's options.", 'optionId');
  const updated: Clause = { ...clause, wording: support(clause.wording, cmd.segmentId, cmd.optionId, partyId) };
  return {
    state: bump(
      s,
      s.clauses.map((c) => (c.id === clause.id ? updated : c)),
    ),
    events: [
      {
        type: 'option.supported',
        clauseId: clause.id,
        version: clause.version,
        segmentId: cmd.segmentId,
        optionId: cmd.optionId,
        partyId,
        participantId: actor.id,
      },
    ],
  };
}

/**
 * A delegation marks the current version of a clause agreed ad referendum, then agreed (or takes
 * its mark back with `none`). A clause with open brackets cannot be agreed.
 */
export function mark(s: AgreementState, actor: Participant, cmd: { clauseId: string; baseVersion: number; level: MarkLevel }): Decision {
  const partyId = assertPartyMember(actor);
  assertDrafting(s);
  const clause = findClause(s, cmd.clauseId);
  assertCurrent(clause, cmd.baseVersion);
  if (cmd.level !== 'none' && isBracketed(clause.wording)) {
    throw new DomainError('CLAUSE_BRACKETED', 'A clause with open brackets cannot be agreed.', 'clauseId');
  }
  if (cmd.level === 'agreed' && !clause.marks[partyId]) {
    throw new DomainError('AD_REFERENDUM_FIRST', 'Agree the clause ad referendum before agreeing it.', 'level');
  }
  const marks = { ...clause.marks };
  if (cmd.level === 'none') delete marks[partyId];
  else marks[partyId] = cmd.level;
  const updated: Clause = { ...clause, marks };
  return {
    state: bump(
      s,
      s.clauses.map((c) => (c.id === clause.id ? updated : c)),
    ),
    events: [{ type: 'clause.marked', clauseId: clause.id, version: clause.version, partyId, participantId: actor.id, level: cmd.level }],
  };
}

/**
 * When every clause is agreed, a mediator finalises: the text is frozen and its canonical form
 * hashed (`sha256` is computed by the caller from `canonicalForm`).
 */
export function finalise(s: AgreementState, actor: Participant, sha256: string, ctx: DecisionContext): Decision {
  assertMediatorActor(actor);
  assertDrafting(s);
  if (!everythingAgreed(s)) {
    const pending = s.clauses.filter((c) => clauseState(c, s.partyIds) !== 'agreed').length;
    throw new DomainError(
      'AGREEMENT_NOT_READY',
      s.clauses.length ? `${pending} clause(s) are not agreed yet.` : 'The text has no clauses.',
      undefined,
      { pendingClauses: pending },
    );
  }
  return {
    state: { ...s, status: 'final', revision: s.revision + 1, finalSha256: sha256, finalisedAt: ctx.now.toISOString() },
    events: [{ type: 'agreement.finalised', sha256, participantId: actor.id }],
  };
}

/**
 * Each head of delegation signs off the exact final text, by its hash, having just proved again who
 * they are (`reauthenticated`, checked by the caller); the proof goes with the event into the audit.
 */
export function signOff(
  s: AgreementState,
  actor: Participant,
  sha256: string,
  ctx: DecisionContext,
  reauthenticated: Reauthenticated,
): Decision {
  const partyId = assertPartyMember(actor);
  if (!actor.isHead) throw new DomainError('HEAD_OF_DELEGATION_ONLY', 'Only the head of delegation signs off.');
  if (s.status === 'drafting') throw new DomainError('AGREEMENT_NOT_FINAL', 'The text is not final yet.');
  if (sha256.toLowerCase() !== s.finalSha256) {
    throw new DomainError('SIGNOFF_HASH_MISMATCH', 'This is not the hash of the final text.', 'sha256', { finalSha256: s.finalSha256 });
  }
  if (s.signOffs.some((x) => x.partyId === partyId)) throw new DomainError('ALREADY_SIGNED', 'Your delegation has signed off already.');
  const signOffs = [...s.signOffs, { partyId, participantId: actor.id, sha256: s.finalSha256, signedAt: ctx.now.toISOString() }];
  const complete = s.partyIds.every((p) => signOffs.some((x) => x.partyId === p));
  return {
    state: { ...s, signOffs, status: complete ? 'signed' : 'final', revision: s.revision + 1 },
    events: [{ type: 'agreement.signed_off', signOff: signOffs[signOffs.length - 1], complete, reauthenticated }],
  };
}

/** The proposal a proposal answers, as this viewer may know it: a private one's id stays with its delegation and the mediators. */
export function counterToFor(viewer: Participant, p: Pick<Proposal, 'counterTo' | 'counterPrivateTo'>): string | null {
  if (!p.counterTo || p.counterPrivateTo === null || isMediator(viewer)) return p.counterTo;
  return viewer.role === 'party_member' && viewer.partyId === p.counterPrivateTo ? p.counterTo : null;
}

/** Proposals, responses, history and redlines are the negotiation, not the tabled text. */
export function assertMaySeeNegotiation(viewer: Participant): void {
  if (readsAsTabled(viewer))
    throw new DomainError('OBSERVER_TABLED_ONLY', 'Observers and interpreters see the tabled text and agreed clauses only.');
}
