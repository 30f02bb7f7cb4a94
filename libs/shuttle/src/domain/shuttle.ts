import { DomainError, wordDiff } from '@parley/platform/domain';
import type { ConveyMode, ShuttleLabel, ShuttleStatus } from '@parley/contracts';
import { isMediator, type Participant } from '@parley/sessions/domain';

/** A shuttle message as the rules see it. */
export interface ShuttleMessage {
  id: string;
  partyId: string;
  authorParticipantId: string;
  label: ShuttleLabel;
  /** The party it may be conveyed to (label `conveyable`). */
  conveyToPartyId: string | null;
  text: string;
  status: ShuttleStatus;
  releaseAt: Date;
}

export interface SubmitInput {
  label: ShuttleLabel;
  conveyToPartyId?: string | null;
}

/**
 * A party member writes to the mediator. `mediator_only` can never leave the mediator;
 * `conveyable` names one other party of the session. With a cooling-off period the message waits
 * (and can be withdrawn) before it reaches the mediator's queue.
 */
export function decideSubmission(
  actor: Participant,
  input: SubmitInput,
  partyIds: readonly string[],
  coolingOffSeconds: number,
  now: Date,
): { status: ShuttleStatus; releaseAt: Date; conveyToPartyId: string | null } {
  if (actor.role !== 'party_member' || !actor.partyId) {
    throw new DomainError('SHUTTLE_PARTY_ONLY', 'Only a party member writes shuttle messages to the mediator.');
  }
  let conveyToPartyId: string | null = null;
  if (input.label === 'conveyable') {
    if (!input.conveyToPartyId)
      throw new DomainError('VALIDATION_FAILED', 'A conveyable message names the party it may reach.', 'conveyToPartyId');
    if (input.conveyToPartyId === actor.partyId || !partyIds.includes(input.conveyToPartyId)) {
      throw new DomainError('SHUTTLE_TARGET_INVALID', 'Name another party of this session.', 'conveyToPartyId');
    }
    conveyToPartyId = input.conveyToPartyId;
  } else if (input.conveyToPartyId) {
    throw new DomainError('VALIDATION_FAILED', 'A message for the mediator only names no party.', 'conveyToPartyId');
  }
  const releaseAt = new Date(now.getTime() + coolingOffSeconds * 1000);
  return { status: coolingOffSeconds > 0 ? 'cooling' : 'pending', releaseAt, conveyToPartyId };
}

export { UNSEEN_BY_MEDIATORS, hasReachedMediators, maySeeMessage } from './audience.policy';

/** Only its author withdraws a message, and only while it is still cooling off. */
export function decideWithdrawal(actor: Participant, msg: ShuttleMessage): void {
  if (msg.authorParticipantId !== actor.id) throw new DomainError('SHUTTLE_NOT_AUTHOR', 'Only the sender may withdraw a message.');
  if (msg.status !== 'cooling') throw new DomainError('SHUTTLE_NOT_COOLING', 'The message has already reached the mediator.', 'messageId');
}

/** Cooling over: the message enters the mediator's queue. */
export const isDueForRelease = (msg: Pick<ShuttleMessage, 'status' | 'releaseAt'>, now: Date): boolean =>
  msg.status === 'cooling' && msg.releaseAt.getTime() <= now.getTime();

export type MediatorDecision = { kind: 'convey'; mode: ConveyMode; text?: string } | { kind: 'hold' } | { kind: 'decline'; reason: string };

export interface DecisionOutcome {
  status: ShuttleStatus;
  /** What the receiving party sees, when conveyed. */
  conveyedText: string | null;
  conveyMode: ConveyMode | null;
  declineReason: string | null;
}

/**
 * The mediator's decision on a message in their queue. A pending or held message may be conveyed (verbatim, in an edited
 * wording, or as the mediator's own suggestion), held, or declined with a reason. A message for
 * the mediator only is never conveyed.
 */
export function decideOnMessage(actor: Participant, msg: ShuttleMessage, decision: MediatorDecision): DecisionOutcome {
  if (!isMediator(actor)) throw new DomainError('MEDIATOR_ONLY', 'Only a mediator decides on shuttle messages.');
  if (msg.status === 'cooling') throw new DomainError('SHUTTLE_COOLING', 'The message is still in its cooling-off period.', 'messageId');
  if (msg.status !== 'pending' && msg.status !== 'held') {
    throw new DomainError('SHUTTLE_ALREADY_DECIDED', `The message was already ${msg.status}.`, 'messageId');
  }
  switch (decision.kind) {
    case 'hold':
      if (msg.status === 'held') throw new DomainError('SHUTTLE_ALREADY_DECIDED', 'The message is already held.', 'messageId');
      return { status: 'held', conveyedText: null, conveyMode: null, declineReason: null };
    case 'decline':
      return { status: 'declined', conveyedText: null, conveyMode: null, declineReason: decision.reason };
    case 'convey': {
      if (msg.label === 'mediator_only' || !msg.conveyToPartyId) {
        throw new DomainError('SHUTTLE_NOT_CONVEYABLE', 'This message is for the mediator only; it cannot be conveyed.', 'messageId');
      }
      if (decision.mode === 'verbatim' && decision.text !== undefined && decision.text !== msg.text) {
        throw new DomainError('VALIDATION_FAILED', 'Conveying verbatim takes no new wording; use mode "edited".', 'text');
      }
      if (decision.mode === 'edited' && decision.text === undefined) {
        throw new DomainError('VALIDATION_FAILED', 'An edited conveyance needs its wording.', 'text');
      }
      const conveyedText = decision.mode === 'verbatim' ? msg.text : (decision.text ?? msg.text);
      return { status: 'conveyed', conveyedText, conveyMode: decision.mode, declineReason: null };
    }
  }
}

/** Word-level changes from the sender's wording to what was conveyed. */
export { wordDiff };
