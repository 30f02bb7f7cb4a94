import type { ConveyMode, SessionStatus, ShuttleStatus } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import type { ShuttleMessage } from '../domain';

/** A shuttle message as stored: what the rules see, and what its views show besides. */
export interface StoredShuttleMessage extends ShuttleMessage {
  sessionId: string;
  conveyedText: string | null;
  conveyMode: ConveyMode | null;
  declineReason: string | null;
  decidedByParticipantId: string | null;
  /** The client's idempotency key (its clientMessageId). */
  clientKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a decision or a release changes on a stored message. */
export type ShuttleMessageChanges = Partial<
  Pick<StoredShuttleMessage, 'status' | 'conveyedText' | 'conveyMode' | 'declineReason' | 'decidedByParticipantId'>
>;

/** Which messages of a session a listing wants, oldest first. */
export interface ShuttleListing {
  sessionId: string;
  /** Only this delegation's. */
  partyId?: string;
  /** Only these statuses (`in`), or all but these (`notIn`). */
  status?: { in: readonly ShuttleStatus[] } | { notIn: readonly ShuttleStatus[] };
}

/**
 * Thrown by `insert` when the author already stored a message under this client key: a concurrent
 * copy of the same submission committed first. The transaction is lost; a retry finds that copy.
 */
export class DuplicateShuttleSubmission extends Error {
  constructor() {
    super('a shuttle message with this client key was stored concurrently');
  }
}

/**
 * Where shuttle messages are kept. The port the shuttle's use cases read and write messages
 * through; the SQL is in infrastructure/persistence/typeorm-shuttle-store.ts.
 */
export abstract class ShuttleStore {
  /** The message this author stored under this client key, if any. */
  abstract byClientKey(tx: Tx, authorParticipantId: string, clientKey: string): Promise<StoredShuttleMessage | null>;
  /** Stores a new message, as stored (times included); DuplicateShuttleSubmission when its key was taken meanwhile. */
  abstract insert(tx: Tx, message: StoredShuttleMessage): Promise<StoredShuttleMessage>;
  /** The session's message, locked (FOR UPDATE) for the rest of the transaction; null when there is none. */
  abstract lock(tx: Tx, sessionId: string, messageId: string): Promise<StoredShuttleMessage | null>;
  /** Saves the changes (and the time of the change), answering with the message as stored now. */
  abstract update(tx: Tx, messageId: string, changes: ShuttleMessageChanges): Promise<StoredShuttleMessage>;
  /** A session's messages, oldest first. */
  abstract list(tx: Tx, q: ShuttleListing): Promise<StoredShuttleMessage[]>;
  /** The name others see of a message's author ('' when there is none). */
  abstract authorName(tx: Tx, participantId: string): Promise<string>;
  /** The names others see of these participants, by id. */
  abstract authorNames(tx: Tx, participantIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Up to `limit` messages still cooling whose release time is `now` or earlier, in sessions whose
   * status is one of `releasable`, soonest first; each locked (FOR UPDATE), skipping those another
   * transaction holds.
   */
  abstract lockDueForRelease(tx: Tx, now: Date, releasable: readonly SessionStatus[], limit: number): Promise<StoredShuttleMessage[]>;
  /** The earliest release time of a message still cooling in a session whose status is one of `releasable`. */
  abstract nextRelease(tx: Tx, releasable: readonly SessionStatus[]): Promise<Date | null>;
  /**
   * The statuses of these sessions, their rows locked against changes (FOR SHARE) until the
   * transaction ends: a status change under way is waited for, then seen.
   */
  abstract shareSessionStatuses(tx: Tx, sessionIds: readonly string[]): Promise<ReadonlyMap<string, SessionStatus>>;
}
