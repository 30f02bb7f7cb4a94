import type { ChatMessageView, ParticipantRole, RoomEvent, RoomEventType, RoomHistory } from '@parley/contracts';
import type { AuditFact } from '@parley/audit';
import type { Tx } from '@parley/platform';

export interface NewRoomEvent {
  sessionId: string;
  roomId: string;
  type: RoomEventType;
  payload: object;
  authorParticipantId?: string | null;
  clientKey?: string | null;
}

/**
 * A chat message decided on (the poster's seat, role and room as the decision saw them) and waiting
 * to be written. The store writes it only if that seat still holds at write time.
 */
export interface ChatPost {
  sessionId: string;
  roomId: string;
  payload: ChatMessageView;
  /** The seat the decision was made on. */
  seat: { participantId: string; role: ParticipantRole; roomId: string | null };
  /** The audit fact recorded with the message, in the same commit. */
  audit: AuditFact;
}

/** What became of a chat post: stored (with its number), a repeat of a key used before, or a seat changed meanwhile. */
export type ChatAppendOutcome = { kind: 'stored'; event: RoomEvent } | { kind: 'repeat'; event: RoomEvent } | { kind: 'unseated' };

/**
 * Each room's stream: events numbered 1, 2, 3 … per room, gap-free, each number taken inside the
 * writing transaction. The port the shuttle's use cases write and read through; the SQL is in
 * infrastructure/room-streams.store.ts.
 */
export abstract class RoomStreams {
  /** Appends a server-made event (no client key, so it always gets its number) inside `tx`. */
  abstract append(tx: Tx, e: Omit<NewRoomEvent, 'clientKey'>): Promise<RoomEvent>;
  /**
   * Writes a chat message with its number and its audit entry in one commit, if its seat still
   * holds; idempotent on (author, clientMessageId). Posts arriving together are written together.
   */
  abstract appendChat(post: ChatPost): Promise<ChatAppendOutcome>;
  /**
   * A page of a room's stream: after `afterSeq` in ascending order (what a reconnecting client
   * missed), or before `beforeSeq` newest first (scrolling back); the newest page by default.
   */
  abstract read(roomId: string, q: { afterSeq?: number; beforeSeq?: number; limit?: number }): Promise<RoomHistory>;
}
