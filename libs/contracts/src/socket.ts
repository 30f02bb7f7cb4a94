import type { ApiError } from './errors';
import type { InvitationCreated, OccupantView, ParticipantView, PresenceOverview, RoomView } from './models';
import type { InvitableRole, SessionStatus } from './roles';

/** Every acknowledgement has this shape: clients never guess from a missing field. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export interface JoinedSession {
  sessionId: string;
  status: SessionStatus;
  participant: ParticipantView;
  /** null = in the lobby. */
  room: RoomView | null;
}

export interface LocationChanged {
  sessionId: string;
  participantId: string;
  room: RoomView | null;
  reason: 'admitted' | 'moved' | 'sent_to_lobby' | 'role_changed' | 'session_suspended' | 'session_closed';
}

export interface RoomPresence {
  sessionId: string;
  roomId: string;
  occupants: OccupantView[];
}

export interface StatusChanged {
  sessionId: string;
  status: SessionStatus;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  'participant.location': (e: LocationChanged) => void;
  'room.presence': (e: RoomPresence) => void;
  'presence.overview': (e: PresenceOverview) => void;
  'session.status': (e: StatusChanged) => void;
}

export interface JoinSessionPayload { sessionId: string }
export interface PlacePayload { participantId: string; roomId: string }
export interface SendToLobbyPayload { participantId: string }
export interface ChangeStatusPayload { status: SessionStatus }
export interface InvitePayload { role: InvitableRole; partyId?: string; isHead?: boolean; email?: string }

/** Events a client may send; each answers through its acknowledgement. */
export interface ClientToServerEvents {
  'session.join': (p: JoinSessionPayload, ack: (r: Ack<JoinedSession>) => void) => void;
  'participant.admit': (p: PlacePayload, ack: (r: Ack<LocationChanged>) => void) => void;
  'participant.move': (p: PlacePayload, ack: (r: Ack<LocationChanged>) => void) => void;
  'participant.sendToLobby': (p: SendToLobbyPayload, ack: (r: Ack<LocationChanged>) => void) => void;
  'session.changeStatus': (p: ChangeStatusPayload, ack: (r: Ack<StatusChanged>) => void) => void;
  'presence.get': (p: Record<string, never>, ack: (r: Ack<PresenceOverview>) => void) => void;
  'invitation.create': (p: InvitePayload, ack: (r: Ack<InvitationCreated>) => void) => void;
}

export const CLIENT_EVENTS = [
  'session.join',
  'participant.admit',
  'participant.move',
  'participant.sendToLobby',
  'session.changeStatus',
  'presence.get',
  'invitation.create',
] as const satisfies ReadonlyArray<keyof ClientToServerEvents>;
