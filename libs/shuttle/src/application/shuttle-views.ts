import type { RoomEvent, ShuttleMessageView } from '@parley/contracts';
import { DomainError, type Tx } from '@parley/platform';
import type { Participant, SessionDirectory } from '@parley/sessions';
import { hasReachedMediators, maySeeMessage, wordDiff } from '../domain';
import type { RoomStreams } from './room-streams';
import type { ShuttleMessageChanges, ShuttleStore, StoredShuttleMessage } from './shuttle-store';

export function toShuttleView(m: StoredShuttleMessage, authorName: string): ShuttleMessageView {
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

/** The ports a message's state is recorded through, inside one transaction. */
export interface ShuttleRecording {
  store: ShuttleStore;
  streams: RoomStreams;
  directory: SessionDirectory;
}

export async function caucusOf(tx: Tx, directory: SessionDirectory, sessionId: string, partyId: string): Promise<{ id: string }> {
  const room = await directory.caucus(tx, sessionId, partyId);
  if (!room) throw new Error(`party ${partyId} has no caucus`);
  return room;
}

/**
 * The message, locked for the rest of the transaction. One the caller may not know of (another
 * session's, another party's, one still cooling off for a mediator) answers exactly like an unknown id.
 */
export async function lockVisibleMessage(
  tx: Tx,
  store: ShuttleStore,
  sessionId: string,
  messageId: string,
  actor: Participant,
): Promise<StoredShuttleMessage> {
  const m = await store.lock(tx, sessionId, messageId);
  if (!m || !maySeeMessage(actor, m)) throw new DomainError('MESSAGE_NOT_FOUND', 'No such message.', 'messageId');
  return m;
}

/**
 * A message's new state as its delegation and the mediators see it: saved, and — once it has
 * reached the mediators — appended to the sender's caucus stream. Before that (cooling off,
 * withdrawn) it stays out of the stream, which the mediators may read.
 */
export async function recordMessageState(
  tx: Tx,
  { store, streams, directory }: ShuttleRecording,
  message: StoredShuttleMessage,
  changes: ShuttleMessageChanges = {},
): Promise<{ view: ShuttleMessageView; events: RoomEvent[] }> {
  const current = Object.keys(changes).length ? await store.update(tx, message.id, changes) : message;
  const view = toShuttleView(current, await store.authorName(tx, current.authorParticipantId));
  if (!hasReachedMediators(view.status)) return { view, events: [] };
  const caucus = await caucusOf(tx, directory, current.sessionId, current.partyId);
  return {
    view,
    events: [await streams.append(tx, { sessionId: current.sessionId, roomId: caucus.id, type: 'shuttle.message', payload: view })],
  };
}
