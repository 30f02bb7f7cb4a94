import type { AuditFact } from '@parley/audit/domain/audit-chain';
import { opening, sealed } from '@parley/audit/domain/audit-seal';
import { hasReachedMediators, type ShuttleMessage } from './shuttle';

/**
 * The audit trail keeps the cooling-off rule. A message cooling off has not reached the mediators,
 * who are the trail's only readers, so its submission is entered sealed (see audit-seal.ts): they
 * see a sealed entry by nobody — its place in the chain and a salted commitment — and no author,
 * label, target, time or hash of the text, nothing a guess could be checked against. A withdrawal
 * (only ever during cooling-off) is sealed under the same key. The release opens the key: from then
 * on the submission reads in full, as it would have without a cooling-off. A message withdrawn, or
 * still cooling when its session closed, is never released, and its entries stay sealed for good;
 * its delegation knows it through its own messages. A message submitted with no cooling-off reached
 * the mediators at once, and its submission is entered open.
 */
export const shuttleSealKey = (messageId: string): string => `shuttle.message:${messageId}`;

/** Who did it: the account and the participant. */
export interface AuditActor {
  userId: string;
  participantId: string;
}

/** The submission, sealed while the message has not reached the mediators. */
export function submissionFact(msg: ShuttleMessage, by: AuditActor, textSha256: string): AuditFact {
  const fact: AuditFact = {
    type: 'shuttle.message.submitted',
    actorUserId: by.userId,
    actorParticipantId: by.participantId,
    payload: {
      messageId: msg.id,
      partyId: msg.partyId,
      authorParticipantId: msg.authorParticipantId,
      label: msg.label,
      conveyToPartyId: msg.conveyToPartyId,
      status: msg.status,
      releaseAt: msg.releaseAt.toISOString(),
      textSha256,
    },
  };
  return hasReachedMediators(msg.status) ? fact : sealed(fact, shuttleSealKey(msg.id));
}

/** The withdrawal, during cooling-off: sealed, and never opened. */
export const withdrawalFact = (messageId: string, by: AuditActor): AuditFact =>
  sealed(
    { type: 'shuttle.message.withdrawn', actorUserId: by.userId, actorParticipantId: by.participantId, payload: { messageId } },
    shuttleSealKey(messageId),
  );

/** The release into the mediators' queue, by the scheduler: it opens the submission. */
export const releaseFact = (messageId: string): AuditFact =>
  opening(
    { type: 'shuttle.message.queued', actorUserId: null, actorParticipantId: null, payload: { messageId } },
    shuttleSealKey(messageId),
  );
