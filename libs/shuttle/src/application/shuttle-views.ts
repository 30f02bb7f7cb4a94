import type { EntityManager } from 'typeorm';
import type { RoomEvent, ShuttleMessageView } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import { ParticipantEntity, RoomEntity } from '@parley/sessions';
import type { Participant } from '@parley/sessions';
import { hasReachedMediators, maySeeMessage, wordDiff, type ShuttleMessage } from '../domain';
import type { RoomStreams } from '../infrastructure/room-streams';
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
  id: m.id,
  partyId: m.partyId,
  authorParticipantId: m.authorParticipantId,
  label: m.label,
  conveyToPartyId: m.conveyToPartyId,
  text: m.text,
  status: m.status,
  releaseAt: m.releaseAt,
});

export async function authorNameOf(manager: EntityManager, m: ShuttleMessageEntity): Promise<string> {
  const author = await manager
    .getRepository(ParticipantEntity)
    .findOne({ where: { id: m.authorParticipantId }, select: { displayName: true } });
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
export async function lockVisibleMessage(
  manager: EntityManager,
  sessionId: string,
  messageId: string,
  actor: Participant,
): Promise<ShuttleMessageEntity> {
  const m = await manager
    .getRepository(ShuttleMessageEntity)
    .findOne({ where: { id: messageId, sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!m || !maySeeMessage(actor, m)) throw new DomainError('MESSAGE_NOT_FOUND', 'No such message.', 'messageId');
  return m;
}

/**
 * A message's new state as its delegation and the mediators see it: saved, and — once it has
 * reached the mediators — appended to the sender's caucus stream. Before that (cooling off,
 * withdrawn) it stays out of the stream, which the mediators may read.
 */
export async function recordMessageState(
  manager: EntityManager,
  streams: RoomStreams,
  message: ShuttleMessageEntity,
  changes: Partial<ShuttleMessageEntity> = {},
): Promise<{ view: ShuttleMessageView; events: RoomEvent[] }> {
  const repo = manager.getRepository(ShuttleMessageEntity);
  if (Object.keys(changes).length) await repo.update({ id: message.id }, changes);
  const current = Object.keys(changes).length ? await repo.findOneByOrFail({ id: message.id }) : message;
  const view = toShuttleView(current, await authorNameOf(manager, current));
  if (!hasReachedMediators(view.status)) return { view, events: [] };
  const caucus = await caucusOf(manager, current.partyId);
  return {
    view,
    events: [await streams.append(manager, { sessionId: current.sessionId, roomId: caucus.id, type: 'shuttle.message', payload: view })],
  };
}
