import type { ShuttleLabel, ShuttleStatus } from '@parley/contracts';
import { isMediator, type Participant } from '@parley/sessions/domain/model';
import { audienceOf, type AudienceLine, type Roster } from '@parley/sessions/domain/audience.policy';

// Plain rules with no import beyond the sessions' model and audience: the web client imports this
// file to say who will read a shuttle message, so it must be the server's own rule.

/** What the audience rules need to know about a shuttle message. */
export interface ShuttleReach {
  partyId: string;
  label: ShuttleLabel;
  conveyToPartyId: string | null;
  status: ShuttleStatus;
}

/**
 * Statuses of a message the mediators never received: still cooling off, or withdrawn during it
 * (withdrawal is only possible then).
 */
export const UNSEEN_BY_MEDIATORS: readonly ShuttleStatus[] = ['cooling', 'withdrawn'];

export const hasReachedMediators = (status: ShuttleStatus): boolean => !UNSEEN_BY_MEDIATORS.includes(status);

/**
 * Who may know a shuttle message exists: its delegation, always; the mediators once it has left
 * its cooling-off period (a message withdrawn while cooling never reached them); nobody else.
 * To everyone else it does not exist — not even in an error. The audit trail keeps the same rule:
 * until then the message's entries are sealed to its readers (shuttle-audit.ts).
 */
export function maySeeMessage(actor: Participant, msg: Pick<ShuttleReach, 'partyId' | 'status'>): boolean {
  if (actor.role === 'party_member') return actor.partyId === msg.partyId;
  if (isMediator(actor)) return hasReachedMediators(msg.status);
  return false;
}

/**
 * The party whose caucus receives the conveyed wording: the one a conveyable message names, once
 * a mediator conveyed it; null before, and always for a message for the mediator only.
 */
export const conveyedTo = (msg: Pick<ShuttleReach, 'label' | 'conveyToPartyId' | 'status'>): string | null =>
  msg.label === 'conveyable' && msg.status === 'conveyed' ? msg.conveyToPartyId : null;

/**
 * Who sees the wording a mediator conveyed (never the sender's own, nor that it was edited): the
 * receiving delegation, in its caucus, with the mediators; the sending delegation sees it too, as
 * the outcome of its message.
 */
export function maySeeConveyed(actor: Participant, msg: ShuttleReach): boolean {
  const to = conveyedTo(msg);
  if (to === null) return false;
  if (isMediator(actor)) return true;
  return actor.role === 'party_member' && (actor.partyId === to || actor.partyId === msg.partyId);
}

/**
 * Who will read a shuttle message as written (once it reaches the mediators' queue): its delegation
 * and the mediators. A conveyable message names the party that sees it — in the mediator's
 * wording — only if a mediator conveys it.
 */
export function shuttleAudience(viewer: Participant, msg: ShuttleReach, roster: Roster): AudienceLine {
  const line = audienceOf(
    viewer,
    (p) => maySeeMessage(p, { ...msg, status: hasReachedMediators(msg.status) ? msg.status : 'pending' }),
    roster,
  );
  return { ...line, ifConveyedTo: msg.label === 'conveyable' ? msg.conveyToPartyId : null };
}

/**
 * Who will see the wording a mediator conveys: the mediators, the sending delegation (as its
 * message's outcome) and the receiving one — no other party, no observer.
 */
export const conveyedAudience = (viewer: Participant, msg: Omit<ShuttleReach, 'status'>, roster: Roster): AudienceLine =>
  audienceOf(viewer, (p) => maySeeConveyed(p, { ...msg, status: 'conveyed' }), roster);
