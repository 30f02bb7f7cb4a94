import type { EntityManager } from 'typeorm';
import type { ShuttleMessageView } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import { ParticipantEntity, RoomEntity } from '@parley/sessions';
import type { Participant } from '@parley/sessions';
import { maySeeMessage, wordDiff, type ShuttleMessage } from '../domain';
import { ShuttleMessageEntity } from '../infrastructure/persistence';

export function toShuttleView(m: ShuttleMessageEntity, authorName: string): ShuttleMessageView {
  const reworded = m.conveyedText !== null && m.conveyedText !== m.text;
  return {
    id: m.id,
    sessionId: m.sessionId,
    partyId: m.partyId,
    authorParticipantId: m.authorParticipantId,
    authorName,
    label: m.label,
    conveyToPartyId: m.conveyToPartyId,
    text: m.text,
    status: m.status,
    releaseAt: m.releaseAt.toISOString(),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    conveyedText: m.conveyedText,
    conveyMode: m.conveyMode,
    diff: reworded ? wordDiff(m.text, m.conveyedText!) : null,
    declineReason: m.declineReason,
    clientMessageId: m.clientKey,
  };
}

export const toDomainMessage = (m: ShuttleMessageEntity): ShuttleMessage => ({
  id: m.id, partyId: m.partyId, authorParticipantId: m.authorParticipantId, label: m.label,
  conveyToPartyId: m.conveyToPartyId, text: m.text, status: m.status, releaseAt: m.releaseAt,
});

export async function authorNameOf(manager: EntityManager, m: ShuttleMessageEntity): Promise<string> {
  const author = await manager.getRepository(ParticipantEntity).findOne({ where: { id: m.authorParticipantId }, select: { displayName: true } });
  return author?.displayName ?? '';
}

export async function caucusOf(manager: EntityManager, partyId: string): Promise<RoomEntity> {
  const room = await manager.getRepository(RoomEntity).findOne({ where: { partyId, kind: 'caucus' } });
  if (!room) throw new Error(`party ${partyId} has no caucus`);
  return room;
}

/**
 * The message, locked for the rest of the transaction. One the caller may not know of (another
 * session's, another party's, one still cooling off for a mediator) answers exactly like an unknown id.
 */
export async function lockVisibleMessage(manager: EntityManager, sessionId: string, messageId: string, actor: Participant): Promise<ShuttleMessageEntity> {
  const m = await manager.getRepository(ShuttleMessageEntity).findOne({ where: { id: messageId, sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!m || !maySeeMessage(actor, m)) throw new DomainError('MESSAGE_NOT_FOUND', 'No such message.', 'messageId');
  return m;
}
