import type { InvitableRole, LanguagePair, ParticipantRole, RoomKind, SessionStatus } from './roles';

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
  /** A party member's party; an interpreter's when a party brought them (null: the mediators'). */
  partyId: string | null;
  isHead: boolean;
  /** An interpreter's working languages; absent or null for every other role. */
  languages?: LanguagePair | null;
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
  /** The languages the talks are held in (interpreters' pairs and channels name only these); may be empty. */
  languages: string[];
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
  /** An interpreter invitation's two languages; absent or null for every other role. */
  languages?: LanguagePair | null;
  expiresAt: string;
  /** The person the invitation is for, as the mediator named them (null on invitations made without a name). */
  displayName?: string | null;
  /**
   * True when the link points at this machine only (PUBLIC_URL on localhost or 127.x) while the
   * server listens for other machines: nobody else can open it. The console says so.
   */
  localOnly?: boolean;
}

/** Where an invitation stands. */
export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

/** One invitation of a session, as the mediators list it: `GET /api/sessions/:id/invitations`. */
export interface InvitationView {
  id: string;
  /** The person it is for; null on invitations made without a name. */
  displayName: string | null;
  role: InvitableRole;
  partyId: string | null;
  isHead: boolean;
  /** An interpreter invitation's two languages; absent or null for every other role. */
  languages?: LanguagePair | null;
  email: string | null;
  state: InvitationState;
  /** Kept for older clients: the same as `state`. */
  status: InvitationState;
  /** Who accepted it (their participant, as the session knows them), once accepted. */
  acceptedBy: { participantId: string | null; displayName: string } | null;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * A bulk move's answer (`POST /api/sessions/:id/moves`, `…/moves/caucuses`, `…/moves/plenary`):
 * each move applied, in order, and who was already where they were sent.
 */
export interface BulkMoveResult {
  moved: Array<{ participantId: string; fromRoomId: string | null; toRoomId: string }>;
  unchanged: string[];
}

export interface InvitationPreview {
  sessionTitle: string;
  role: InvitableRole;
  partyName: string | null;
  isHead: boolean;
  /** An interpreter invitation's two languages; absent or null for every other role. */
  languages?: LanguagePair | null;
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
