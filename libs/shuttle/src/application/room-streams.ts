import type { ChatMessageView, RoomEvent, RoomEventType, RoomHistory } from '@parley/contracts';
import type { AuditFact } from '@parley/audit';
import type { Tx } from '@parley/platform';
import type { Room } from '@parley/sessions';
import type { PostingContext } from './posting-contexts';

export interface NewRoomEvent {
  sessionId: string;
  roomId: string;
  type: RoomEventType;
  payload: object;
  authorParticipantId?: string | null;
  clientKey?: string | null;
}

/**
 * A chat message decided on and waiting to be written. The store writes it only if every fact the
 * decision was made on still holds at write time: the poster's seat, role, party and name, the
 * session's status, the room open and (for a joint room) naming the poster.
 */
export interface ChatPost {
  sessionId: string;
  roomId: string;
  payload: ChatMessageView;
  /** What the decision was made on (the target room is `roomId`, so `decidedOn.room` is not null). */
  decidedOn: PostingContext & { room: Room };
  /** The audit fact recorded with the message, in the same commit. */
  audit: AuditFact;
}

/**
 * What became of a chat post: stored (with its number), a repeat of a key used before, or `stale`:
 * something the decision was made on changed meanwhile (a move, a new role, the session paused, the
 * room closed…), so nothing was written and the post must be decided again.
 */
export type ChatAppendOutcome = { kind: 'stored'; event: RoomEvent } | { kind: 'repeat'; event: RoomEvent } | { kind: 'stale' };

/**
 * Each room's stream: events numbered 1, 2, 3 … per room, gap-free, each number taken inside the
 * writing transaction. The port the shuttle's use cases write and read through; the SQL is in
 * infrastructure/room-streams.store.ts.
 */
export abstract class RoomStreams {
  /** Appends a server-made event (no client key, so it always gets its number) inside `tx`. */
  abstract append(tx: Tx, e: Omit<NewRoomEvent, 'clientKey'>): Promise<RoomEvent>;
  /**
   * Writes a chat message with its number and its audit entry in one commit, if what it was
   * decided on still holds; idempotent on (author, clientMessageId). Posts arriving together are written together.
   */
  abstract appendChat(post: ChatPost): Promise<ChatAppendOutcome>;
  /**
   * A page of a room's stream: after `afterSeq` in ascending order (what a reconnecting client
   * missed), or before `beforeSeq` newest first (scrolling back); the newest page by default.
   */
  abstract read(tx: Tx, roomId: string, q: { afterSeq?: number; beforeSeq?: number; limit?: number }): Promise<RoomHistory>;
}
