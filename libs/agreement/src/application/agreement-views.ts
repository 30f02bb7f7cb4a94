import type { AgreementView, ClauseVersionView, ClauseView, ProposalView, SignOffView } from '@parley/contracts';
import { clauseState, counterToFor, render, type AgreementState, type Clause, type Proposal } from '../domain';
import type { Participant } from '@parley/sessions/domain';
import type { ClauseVersion, Names } from './agreement-store';

/** Who a view of the text is for: the negotiators (mediators and parties), or observers. */
export type Audience = 'negotiators' | 'observers';

/**
 * Observers see the tabled text and the clauses' states; which party supports which option, and
 * each party's marks, are the negotiation, not the tabled text.
 */
export function clauseView(c: Clause, index: number, partyIds: readonly string[], audience: Audience): ClauseView {
  const negotiators = audience === 'negotiators';
  return {
    id: c.id,
    number: index + 1,
    heading: c.heading,
    text: c.wording.text,
    rendered: render(c.wording),
    segments: c.wording.segments.map((s) => ({
      id: s.id,
      options: s.options.map((o) => ({ id: o.id, text: o.text, supportedBy: negotiators ? [...o.supportedBy] : [] })),
    })),
    version: c.version,
    state: clauseState(c, partyIds),
    marks: negotiators ? partyIds.filter((p) => c.marks[p]).map((p) => ({ partyId: p, level: c.marks[p] })) : [],
  };
}

export function agreementView(s: AgreementState, audience: Audience, names: Names): AgreementView {
  return {
    sessionId: s.sessionId,
    status: s.status,
    revision: s.revision,
    clauses: s.clauses.map((c, i) => clauseView(c, i, s.partyIds, audience)),
    finalSha256: s.finalSha256,
    finalisedAt: s.finalisedAt,
    signOffs: s.signOffs.map((x): SignOffView => ({
      partyId: x.partyId,
      partyName: names.get(x.partyId) ?? '',
      participantId: x.participantId,
      signedBy: names.get(x.participantId) ?? '',
      sha256: x.sha256,
      signedAt: x.signedAt,
    })),
  };
}

/** A proposal as this viewer sees it (which proposal it answers, only if they may know). */
export function proposalView(sessionId: string, p: Proposal, viewer: Participant): ProposalView {
  return {
    id: p.id,
    sessionId,
    change: p.change,
    origin: p.origin,
    visibility: p.visibility,
    status: p.status,
    counterTo: counterToFor(viewer, p),
    rationale: p.rationale,
    responses: p.responses.map((r) => ({ ...r })),
    createdAt: p.createdAt,
    decidedAt: p.decidedAt,
    adopted: p.adopted,
  };
}

/** A stored version; `proposalId` only when the viewer may see that proposal. */
export function versionView(v: ClauseVersion, visibleProposal: boolean): ClauseVersionView {
  return {
    clauseId: v.clauseId,
    version: v.version,
    heading: v.heading,
    text: v.wording.text,
    rendered: render(v.wording),
    segments: v.wording.segments.map((s) => ({ id: s.id, options: s.options.map((o) => ({ id: o.id, text: o.text })) })),
    deleted: v.deleted,
    changeKind: v.changeKind,
    authorParticipantId: v.authorParticipantId,
    proposalId: visibleProposal ? v.proposalId : null,
    createdAt: v.createdAt,
  };
}
