import type { Tx } from '@parley/platform';
import type { Room } from '../domain';
import { SessionDirectory, type PartyRecord, type SeatedParticipant, type SessionRecord } from './session-directory';

/** A session with what its own pages show besides what other contexts need. */
export interface SessionDetails extends SessionRecord {
  readonly description: string;
  readonly createdAt: Date;
}

/** A room with its name (its views) and opening time (the rooms' order). */
export interface RoomRecord extends Room {
  readonly name: string;
  readonly createdAt: Date;
}

/** A participant's seat in one session (an account may hold seats in many). */
export interface Seat extends SeatedParticipant {
  readonly sessionId: string;
  readonly joinedAt: Date;
}

/**
 * The sessions context's own reads: the directory other contexts use, with the details the
 * sessions pages show (room names, opening times, a session's description), and the few lookups
 * its use cases decide on. Implemented with the directory, by the same class.
 */
export abstract class SessionRoster extends SessionDirectory {
  abstract override actor(
    tx: Tx,
    sessionId: string,
    userId: string,
    lock?: boolean | 'share',
  ): Promise<{ session: SessionDetails; actor: Seat }>;
  abstract override participant(tx: Tx, sessionId: string, participantId: string, field?: string): Promise<Seat>;
  abstract override participants(tx: Tx, sessionId: string): Promise<Seat[]>;
  abstract override room(tx: Tx, sessionId: string, roomId: string): Promise<RoomRecord | null>;
  abstract override rooms(tx: Tx, sessionId: string): Promise<RoomRecord[]>;
  abstract override caucus(tx: Tx, sessionId: string, partyId: string): Promise<RoomRecord | null>;
  abstract override parties(tx: Tx, sessionId: string): Promise<PartyRecord[]>;
  /**
   * The session by id, whoever asks (an invitation's preview, its acceptance), or null. With
   * `lock`, its row is locked until the transaction ends, as `actor` locks it.
   */
  abstract session(tx: Tx, sessionId: string, lock?: boolean): Promise<SessionDetails | null>;
  /** Some participants of the session (those that exist), in no particular order. */
  abstract participantsByIds(tx: Tx, sessionId: string, ids: readonly string[]): Promise<Seat[]>;
  /** Who is in the room now, in no particular order. */
  abstract occupants(tx: Tx, sessionId: string, roomId: string): Promise<Seat[]>;
  /** Some participants of the session by account (those that exist), in no particular order. */
  abstract participantsByUsers(tx: Tx, sessionId: string, userIds: readonly string[]): Promise<Seat[]>;
  /** Every seat the account holds, in any session. */
  abstract seatsOf(tx: Tx, userId: string): Promise<Seat[]>;
  /** Whether the account already takes part in the session. */
  abstract isParticipant(tx: Tx, sessionId: string, userId: string): Promise<boolean>;
  /** The sessions by id (those that exist), the newest first. */
  abstract sessions(tx: Tx, ids: readonly string[]): Promise<SessionDetails[]>;
  /** Whether the session has this party. */
  abstract hasParty(tx: Tx, sessionId: string, partyId: string): Promise<boolean>;
  /** The party's name, or null. */
  abstract partyName(tx: Tx, partyId: string): Promise<string | null>;
  /** The participant who heads the party's delegation, or null. */
  abstract headOf(tx: Tx, partyId: string): Promise<string | null>;
  /** Whether the party has a head of delegation. */
  abstract hasHead(tx: Tx, partyId: string): Promise<boolean>;
}
