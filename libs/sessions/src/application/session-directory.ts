import type { SessionStatus } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import type { BreakState, LocatedParticipant, Room } from '../domain';

/** A session as other contexts see it: plain data, never a row object. */
export interface SessionRecord {
  readonly id: string;
  readonly title: string;
  readonly status: SessionStatus;
  readonly coolingOffSeconds: number;
  /** The declared languages (interpreters' pairs and channels name only these), in the mediators' order. */
  readonly languages: readonly string[];
  readonly breakState: BreakState;
  readonly createdByUserId: string;
}

/** A participant with where they are and the name others see. */
export interface SeatedParticipant extends LocatedParticipant {
  readonly userId: string;
  readonly displayName: string;
}

export interface PartyRecord {
  readonly id: string;
  readonly name: string;
  readonly position: number;
}

/**
 * The sessions context's answer to "who is asking, and where": the port every context uses to
 * decide on membership. It returns domain types; its implementation (infrastructure) owns the SQL.
 * A session the caller is not part of does not exist for them: `actor` throws the same
 * SESSION_NOT_FOUND as an unknown id, so ids reveal nothing.
 */
export abstract class SessionDirectory {
  /**
   * The session and the caller's participant in it. With `lock`, the session row is locked until
   * the transaction ends: changes of one session are serialised (and so is its audit chain). With
   * `lock = 'share'` it is locked only against changes: an act decided on the session's status
   * commits before a status change begins, or waits for it and sees the new status.
   */
  abstract actor(
    tx: Tx,
    sessionId: string,
    userId: string,
    lock?: boolean | 'share',
  ): Promise<{ session: SessionRecord; actor: SeatedParticipant }>;
  /** A participant of the session, or PARTICIPANT_NOT_FOUND naming `field`. */
  abstract participant(tx: Tx, sessionId: string, participantId: string, field?: string): Promise<SeatedParticipant>;
  /** The session's participants (all of them, in joining order). */
  abstract participants(tx: Tx, sessionId: string): Promise<SeatedParticipant[]>;
  /** One room of the session as the domain sees it (a joint room with its named members), or null. */
  abstract room(tx: Tx, sessionId: string, roomId: string): Promise<Room | null>;
  /** Every room of the session, in opening order. */
  abstract rooms(tx: Tx, sessionId: string): Promise<Room[]>;
  /** A party's caucus, or null when the session has no such party. */
  abstract caucus(tx: Tx, sessionId: string, partyId: string): Promise<Room | null>;
  /** The session's parties in their order. */
  abstract parties(tx: Tx, sessionId: string): Promise<PartyRecord[]>;
}
