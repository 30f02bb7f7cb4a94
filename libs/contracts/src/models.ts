import type { InvitableRole, ParticipantRole, RoomKind, SessionStatus } from './roles';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
}

/** One sign-in of the account (a device or browser signed in): `GET /api/auth/sign-ins`. */
export interface SignInView {
  /** The sign-in's id (its refresh family): `DELETE /api/auth/sign-ins/:id` ends it. */
  id: string;
  createdAt: string;
  /** When its token was last renewed (or created). */
  lastUsedAt: string;
  /** When it ends unless renewed again. */
  expiresAt: string;
  /** The sign-in of the token that asked. */
  current: boolean;
}

export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /**
   * For a client that keeps its own (no Origin or Sec-Fetch-Site header: not a browser). A browser
   * gets it as the HttpOnly cookie `parley_refresh` instead, out of its scripts' reach, and not here.
   */
  refreshToken?: string;
  user: UserView;
}

export interface PartyView {
  id: string;
  name: string;
  /** null when the caller may not see that caucus (another party's). */
  caucusRoomId: string | null;
}

export interface RoomView {
  id: string;
  kind: RoomKind;
  name: string;
  /** Set for a caucus. */
  partyId: string | null;
  /** Named members of a joint room (participant ids); empty for other kinds. */
  memberIds: string[];
}

export interface ParticipantView {
  id: string;
  userId: string;
  displayName: string;
  role: ParticipantRole;
  partyId: string | null;
  isHead: boolean;
}

export interface SessionSummary {
  id: string;
  title: string;
  status: SessionStatus;
  myParticipantId: string;
  myRole: ParticipantRole;
}

/** What one participant may see of a session: rooms are only those they may enter. */
export interface SessionView {
  id: string;
  title: string;
  description: string;
  status: SessionStatus;
  /** Seconds a shuttle message waits, withdrawable by its sender, before reaching the mediator. */
  coolingOffSeconds: number;
  createdAt: string;
  /** Set while the session is suspended. */
  break: import('./socket').BreakView | null;
  parties: PartyView[];
  rooms: RoomView[];
  me: ParticipantView & { roomId: string | null };
}

export interface InvitationCreated {
  id: string;
  /** Shown once: only its hash is stored. */
  token: string;
  url: string;
  role: InvitableRole;
  partyId: string | null;
  isHead: boolean;
  expiresAt: string;
}

export interface InvitationPreview {
  sessionTitle: string;
  role: InvitableRole;
  partyName: string | null;
  isHead: boolean;
  expiresAt: string;
}

export interface InvitationAccepted extends TokenPair {
  sessionId: string;
  participant: ParticipantView;
}

export interface OccupantView {
  participantId: string;
  displayName: string;
  role: ParticipantRole;
  partyId: string | null;
  connected: boolean;
}

/** The mediator's overview: every room and the lobby, with who is in each. */
export interface PresenceOverview {
  sessionId: string;
  lobby: OccupantView[];
  rooms: Array<{ room: RoomView; occupants: OccupantView[] }>;
}

export interface AuditEntryView {
  seq: number;
  type: string;
  actorParticipantId: string | null;
  actorUserId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  prevHash: string;
  hash: string;
}

/**
 * An entry its reader may not read (a shuttle message still cooling off, or withdrawn then): its
 * place in the chain and the salted commitment its link covers, so the chain still verifies.
 */
export interface SealedAuditEntryView {
  seq: number;
  type: 'sealed';
  digest: string;
  prevHash: string;
  hash: string;
}
