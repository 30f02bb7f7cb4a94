import type { LanguagePair, ParticipantRole, SessionStatus } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import type { BreakState } from '../domain';

/** What a session's creation writes: the session, its two standing rooms, its lead mediator. */
export interface NewSession {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly createdByUserId: string;
  readonly plenaryId: string;
  readonly mediatorRoomId: string;
  readonly languages: readonly string[];
  readonly lead: { readonly id: string; readonly userId: string; readonly displayName: string };
}

/** What a mediator may change of a session's settings. */
export interface SessionChanges {
  title?: string;
  description?: string;
  coolingOffSeconds?: number;
  languages?: string[];
}

/**
 * A session's own rows and their configuration: the session, its parties (each with its caucus),
 * its joint rooms. Takes and returns plain data; its implementation owns the SQL.
 */
export abstract class SessionStore {
  /**
   * The account that creates a session, its row locked until the transaction ends (one account's
   * creations are counted one after the other), or null when no such account exists.
   */
  abstract lockCreator(tx: Tx, userId: string): Promise<{ id: string; displayName: string } | null>;
  /** Sessions the account created that are not closed. */
  abstract countOpenCreatedBy(tx: Tx, userId: string): Promise<number>;
  abstract create(tx: Tx, session: NewSession): Promise<void>;
  /** A new participant, in the lobby. */
  abstract addParticipant(
    tx: Tx,
    p: {
      id: string;
      sessionId: string;
      userId: string;
      role: ParticipantRole;
      partyId: string | null;
      isHead: boolean;
      displayName: string;
      /** An interpreter's party (null: the mediators'); null for every other role. */
      broughtByPartyId: string | null;
      languages: LanguagePair | null;
    },
  ): Promise<void>;
  abstract countParties(tx: Tx, sessionId: string): Promise<number>;
  /** A party never exists without its caucus: both are written together. PARTY_NAME_TAKEN for a name in use. */
  abstract addPartyWithCaucus(
    tx: Tx,
    sessionId: string,
    name: string,
    position: number,
  ): Promise<{ partyId: string; caucusRoomId: string }>;
  abstract update(tx: Tx, sessionId: string, changes: SessionChanges): Promise<void>;
  abstract setStatus(tx: Tx, sessionId: string, status: SessionStatus, brk: BreakState): Promise<void>;
  abstract openJointRoom(tx: Tx, sessionId: string, room: { id: string; name: string; memberIds: readonly string[] }): Promise<void>;
  /** Marks the room closed (once: a room closed already keeps its time). */
  abstract closeRoom(tx: Tx, roomId: string): Promise<void>;
}
