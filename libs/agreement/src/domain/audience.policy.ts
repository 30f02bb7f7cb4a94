import type { DraftScope } from '@parley/contracts';
import { isMediator, type Participant } from '@parley/sessions/domain/model';
import { audienceOf, type AudienceLine, type Roster } from '@parley/sessions/domain/audience.policy';
import type { Proposal } from './model';

// Plain rules with no import beyond types and the sessions' model and audience: the web client
// imports this file to say who will see a proposal, a draft or the text, so it must be the
// server's own rule.

/**
 * Private proposals: their delegation and the mediators. Tabled proposals: every party and the
 * mediators. Observers see no proposal: only the tabled text and agreed clauses.
 */
export function mayViewProposal(viewer: Participant, p: Pick<Proposal, 'visibility' | 'origin'>): boolean {
  if (isMediator(viewer)) return true;
  if (viewer.role !== 'party_member') return false;
  return p.visibility === 'tabled' || (p.origin.kind === 'party' && p.origin.partyId === viewer.partyId);
}

const anyMemberOf = (partyId: string): Participant => ({ id: '', role: 'party_member', partyId, isHead: false });

/** The parties (among `partyIds`) whose delegations receive a proposal. */
export const proposalParties = (p: Pick<Proposal, 'visibility' | 'origin'>, partyIds: readonly string[]): string[] =>
  partyIds.filter((id) => mayViewProposal(anyMemberOf(id), p));

/** Which view of the negotiating text a participant gets: in full (marks, support), or as tabled. */
export type TextView = 'negotiators' | 'observers';

/**
 * Who reads the text as tabled and never acts on it: observers, and interpreters (they render what
 * is said, they are no negotiator; the refusals they get are the observers').
 */
export const readsAsTabled = (viewer: Pick<Participant, 'role'>): boolean => viewer.role === 'observer' || viewer.role === 'interpreter';

/** The mediators and every delegation read the text in full; observers and interpreters read it as tabled (no negotiation). */
export const textViewFor = (viewer: Participant): TextView => (readsAsTabled(viewer) ? 'observers' : 'negotiators');

/**
 * Who may read a live draft: the mediators' working text, the mediators; a delegation's draft,
 * the mediators and that delegation (its members while they are in its caucus: draft.policy).
 */
export function mayReadDraft(p: Participant, scope: DraftScope): boolean {
  if (isMediator(p)) return true;
  return scope.kind === 'party' && p.role === 'party_member' && p.partyId === scope.partyId;
}

/** Who will see a proposal with this visibility and origin. */
export const proposalAudience = (viewer: Participant, p: Pick<Proposal, 'visibility' | 'origin'>, roster: Roster): AudienceLine =>
  audienceOf(viewer, (r) => mayViewProposal(r, p), roster);

/** Who will see a live draft. */
export const draftAudience = (viewer: Participant, scope: DraftScope, roster: Roster): AudienceLine =>
  audienceOf(viewer, (r) => mayReadDraft(r, scope), roster);

/** Who sees the negotiating text (observers: as tabled, without the negotiation). */
export const textAudience = (viewer: Participant, roster: Roster): AudienceLine =>
  audienceOf(viewer, (r) => textViewFor(r) === 'negotiators' || textViewFor(r) === 'observers', roster);
