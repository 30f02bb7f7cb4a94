import { DomainError } from '@parley/platform/domain';
import type { DraftScope } from '@parley/contracts';
import { isMediator, type LocatedParticipant, type Room } from '@parley/sessions/domain';
import { mayReadDraft } from './audience.policy';

/** The name a draft is stored and fanned out under. */
export const draftKey = (sessionId: string, scope: DraftScope): string =>
  scope.kind === 'mediators' ? `${sessionId}:mediators` : `${sessionId}:party:${scope.partyId}`;

/**
 * Who may read and write a live draft.
 * - the mediators' working text: mediators only;
 * - a delegation's draft: the mediators, and that delegation's members while they are in its
 *   caucus (drafting happens there; moving out cuts it like everything else of the room).
 * Anyone else gets the same refusal, whether or not the draft exists.
 */
export function assertMayDraft(actor: LocatedParticipant, scope: DraftScope, partyCaucus: Room | null): void {
  if (isMediator(actor)) return;
  if (scope.kind === 'party' && mayReadDraft(actor, scope)) {
    const ownCaucus = partyCaucus?.kind === 'caucus' && partyCaucus.partyId === scope.partyId && !partyCaucus.closed;
    if (ownCaucus && actor.roomId === partyCaucus.id) return;
    throw new DomainError('NOT_IN_ROOM', "Your delegation's draft is written inside its caucus.", 'draft');
  }
  throw new DomainError('DRAFT_FORBIDDEN', 'This draft is not yours to read or write.', 'draft');
}
