import type { LanguagePair, ParticipantRole, RoomKind, SessionStatus } from '@parley/contracts';

/** What the rules need to know about a participant. */
export interface Participant {
  readonly id: string;
  readonly role: ParticipantRole;
  /** Set exactly when role is party_member. */
  readonly partyId: string | null;
  readonly isHead: boolean;
  /**
   * An interpreter's party, when a party brought them (null or absent: the mediators' interpreter,
   * and every other role). Kept apart from partyId on purpose: partyId makes a delegation member
   * (shuttle, drafts, party channels), which an interpreter never is.
   */
  readonly broughtByPartyId?: string | null;
  /** An interpreter's two working languages; null or absent for every other role. */
  readonly languages?: LanguagePair | null;
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

export const isInterpreter = (p: Pick<Participant, 'role'>): boolean => p.role === 'interpreter';
