import type { ParticipantRole, RoomKind, SessionStatus } from '@parley/contracts';

/** What the rules need to know about a participant. */
export interface Participant {
  readonly id: string;
  readonly role: ParticipantRole;
  /** Set exactly when role is party_member. */
  readonly partyId: string | null;
  readonly isHead: boolean;
}

/** A participant together with where they are now (null = the lobby). */
export interface LocatedParticipant extends Participant {
  readonly roomId: string | null;
}

export interface Room {
  readonly id: string;
  readonly kind: RoomKind;
  /** The party a caucus belongs to. */
  readonly partyId: string | null;
  /** Named members of a joint room (participant ids). */
  readonly memberIds: readonly string[];
  readonly closed: boolean;
}

export interface SessionState {
  readonly id: string;
  readonly status: SessionStatus;
}

export const isMediator = (p: Pick<Participant, 'role'>): boolean => p.role === 'lead_mediator' || p.role === 'co_mediator';
