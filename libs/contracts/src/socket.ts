import type { ApiError } from './errors';
import type { ConsultationSummaryView } from './consultation';
import type { InvitationCreated, OccupantView, ParticipantView, PresenceOverview, RoomView } from './models';
import type { InvitableRole, SessionStatus } from './roles';
import type {
  AgreementView,
  DraftMessagePayload,
  DraftSyncAnswer,
  MarkLevel,
  ProposalChange,
  ProposalResponse,
  ProposalView,
  ProposalVisibility,
} from './agreement';
import type {
  MediaAnswerPayload,
  MediaActivity,
  MediaLink,
  MediaReset,
  MediaSubscriptionOffer,
  MediaCut,
  MediaFeedsChanged,
  MediaJoinPayload,
  MediaJoinView,
  MediaPublishPayload,
  MediaStatePayload,
  MediaChannelTakePayload,
  MediaLayerPayload,
  MediaSubscribePayload,
  VideoLayer,
} from './media';
import type { HandLowerPayload, HandRaisePayload, RoomFloor, TimerClearPayload, TimerSetPayload } from './floor';
import type { ConveyMode, RoomEvent, RoomHistory, ShuttleLabel, ShuttleMessageView } from './messages';

/** Every acknowledgement has this shape: clients never guess from a missing field. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** A break in the talks (the session suspended): why, since when and, if announced, until when. */
export interface BreakView {
  reason: string | null;
  startedAt: string;
  /** When the mediators expect to resume; null when no length was given. */
  endsAt: string | null;
}

export interface JoinedSession {
  sessionId: string;
  status: SessionStatus;
  /** Set while the session is suspended. */
  break: BreakView | null;
  participant: ParticipantView;
  /** null = in the lobby. */
  room: RoomView | null;
}

export interface LocationChanged {
  sessionId: string;
  participantId: string;
  room: RoomView | null;
  reason: 'admitted' | 'moved' | 'sent_to_lobby' | 'role_changed' | 'session_suspended' | 'session_resumed' | 'session_closed';
}

export interface RoomPresence {
  sessionId: string;
  roomId: string;
  occupants: OccupantView[];
}

export interface StatusChanged {
  sessionId: string;
  status: SessionStatus;
  /** Set while the session is suspended. */
  break: BreakView | null;
}

export interface SessionResync {
  reason: 'fanout_restored';
}

/**
 * One participant, one live page: a media seat (and the caucus draft cursor) is per participant, so
 * the newest `session.join` takes the session over. `here: false` goes to the participant's other
 * sockets (this session is now open on another device: stop, offer "Use here"); `here: true` to
 * the joining socket, when it took the session over from another.
 */
export interface SessionReplaced {
  sessionId: string;
  here: boolean;
}

/** To every socket of an instance that is stopping: reconnect (to another instance) after this delay. */
export interface ServerStopping {
  reconnectAfterMs: number;
}

/**
 * The socket's access token expired without an `auth.renew`: the server has taken it out of every
 * room and closes it next. The page renews its token over HTTP (refresh token) and reconnects.
 */
export interface AuthExpired {
  code: 'TOKEN_EXPIRED';
  message: string;
}

/**
 * The socket's sign-in ended before its token did: signed out (here or on another device), ended
 * from the list of sign-ins, or the account deleted. The server has taken it out of every room and
 * closes it next; renewing cannot help — the page signs out and says why.
 */
export interface AuthEnded {
  code: 'SIGN_IN_REVOKED';
  reason: 'sign_in_ended' | 'account_deleted';
  message: string;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  'room.event': (e: RoomEvent) => void;
  /** To mediators: a message entered, or changed in, their queue. */
  'shuttle.queue': (e: ShuttleMessageView) => void;
  /** To the sender's delegation only: a message still cooling off, or withdrawn during it. */
  'shuttle.cooling': (e: ShuttleMessageView) => void;
  'participant.location': (e: LocationChanged) => void;
  'room.presence': (e: RoomPresence) => void;
  'presence.overview': (e: PresenceOverview) => void;
  'session.status': (e: StatusChanged) => void;
  /** The negotiating text after a change: in full to mediators and delegations, as tabled to observers. */
  'agreement.text': (e: AgreementView) => void;
  /** A proposal made or changed: to the mediators, and to every delegation if tabled or its own if private. */
  'agreement.proposal': (e: ProposalView) => void;
  /** A consultation summary the mediators tabled: to everyone seated in the session, observers included. */
  'consultation.summary': (e: ConsultationSummaryView) => void;
  /** A y-protocols update to a live draft: to those in its caucus and the mediators (or the mediators only). */
  'draft.update': (e: DraftMessagePayload) => void;
  /** To a room: its publishers changed. */
  'media.feeds': (e: MediaFeedsChanged) => void;
  /** To a participant: the server tore down their media in a room (a move, a role change). */
  'media.cut': (e: MediaCut) => void;
  /** To a session's participants: the SFU restarted (or came back), every media seat is gone: join again. */
  'media.reset': (e: MediaReset) => void;
  /** To a room, and to the mediators wherever they are: who speaks there now (from the SFU). */
  'media.activity': (e: MediaActivity) => void;
  /** To a participant: the SFU finds their link poor (see MediaLink). */
  'media.link': (e: MediaLink) => void;
  /** To a room's occupants and the mediators: its raised hands, in order, and its clock. */
  'room.floor': (e: RoomFloor) => void;
  /**
   * Live fan-out between instances was interrupted (Redis away and back): events may have been
   * missed. The client reads each room's history after the last seq it holds, and re-reads state.
   */
  'session.resync': (e: SessionResync) => void;
  /** This instance is stopping (SIGTERM): the socket is closed next; reconnect. */
  'server.stopping': (e: ServerStopping) => void;
  /** Another socket of the same participant joined the session (see SessionReplaced). */
  'session.replaced': (e: SessionReplaced) => void;
  /** The socket's token expired unrenewed: it has left every room and is closed next (see AuthExpired). */
  'auth.expired': (e: AuthExpired) => void;
  /** The socket's sign-in ended (signed out, ended from the list, account deleted): closed next (see AuthEnded). */
  'auth.ended': (e: AuthEnded) => void;
}

/** Every event the server sends (the record makes the compiler check that none is missing). */
const SERVER_EVENT_NAMES: Record<keyof ServerToClientEvents, true> = {
  'room.event': true,
  'shuttle.queue': true,
  'shuttle.cooling': true,
  'participant.location': true,
  'room.presence': true,
  'presence.overview': true,
  'session.status': true,
  'agreement.text': true,
  'agreement.proposal': true,
  'consultation.summary': true,
  'draft.update': true,
  'media.feeds': true,
  'media.cut': true,
  'media.reset': true,
  'media.activity': true,
  'media.link': true,
  'room.floor': true,
  'session.resync': true,
  'server.stopping': true,
  'session.replaced': true,
  'auth.expired': true,
  'auth.ended': true,
};
export const SERVER_EVENTS = Object.keys(SERVER_EVENT_NAMES) as ReadonlyArray<keyof ServerToClientEvents>;

export interface JoinSessionPayload {
  sessionId: string;
}
export interface PlacePayload {
  participantId: string;
  roomId: string;
}
export interface SendToLobbyPayload {
  participantId: string;
}
/**
 * `reason` and `minutes` describe a break (suspended only). On resume, everyone goes back to the
 * room they were in when the break began unless `restoreSeats` is false (they then wait in the lobby).
 */
export interface ChangeStatusPayload {
  status: SessionStatus;
  reason?: string;
  minutes?: number;
  restoreSeats?: boolean;
}
/** `clientMessageId` is the idempotency key: a retried post with the same key is stored once. */
export interface ChatPostPayload {
  roomId: string;
  text: string;
  clientMessageId: string;
}
/** `afterSeq`: what a reconnecting client missed (ascending); `beforeSeq`: older pages (newest first). */
export interface RoomHistoryPayload {
  roomId: string;
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
}
export interface ShuttleSubmitPayload {
  text: string;
  label: ShuttleLabel;
  conveyToPartyId?: string;
  clientMessageId: string;
}
export interface ShuttleDecidePayload {
  messageId: string;
  decision: 'convey' | 'hold' | 'decline';
  mode?: ConveyMode;
  text?: string;
  reason?: string;
}
export interface ProposePayload {
  change: ProposalChange;
  visibility: ProposalVisibility;
  counterTo?: string;
  rationale?: string;
  clientProposalId?: string;
}
export interface RespondPayload {
  proposalId: string;
  response: ProposalResponse;
  comment?: string;
}
export interface MarkPayload {
  clauseId: string;
  baseVersion: number;
  level: MarkLevel;
}
export interface InvitePayload {
  role: InvitableRole;
  /** The person it is for (1–120 characters, the rules of display names). */
  displayName?: string;
  partyId?: string;
  isHead?: boolean;
  email?: string;
}

/**
 * Events a client may send; each answers through its acknowledgement. Every event name, sent or
 * received, is `noun.verb` in lower case, a segment of several words in kebab-case
 * (`participant.send-to-lobby`); server events name what happened (`session.status`).
 */
export interface ClientToServerEvents {
  /** A renewed access token for this connection (same account): no reconnection, nothing dropped. */
  'auth.renew': (p: { token: string }, ack: (r: Ack<{ expiresAt: string }>) => void) => void;
  'session.join': (p: JoinSessionPayload, ack: (r: Ack<JoinedSession>) => void) => void;
  'participant.admit': (p: PlacePayload, ack: (r: Ack<LocationChanged>) => void) => void;
  'participant.move': (p: PlacePayload, ack: (r: Ack<LocationChanged>) => void) => void;
  'participant.send-to-lobby': (p: SendToLobbyPayload, ack: (r: Ack<LocationChanged>) => void) => void;
  'session.change-status': (p: ChangeStatusPayload, ack: (r: Ack<StatusChanged>) => void) => void;
  'presence.get': (p: Record<string, never>, ack: (r: Ack<PresenceOverview>) => void) => void;
  'invitation.create': (p: InvitePayload, ack: (r: Ack<InvitationCreated>) => void) => void;
  'chat.post': (p: ChatPostPayload, ack: (r: Ack<RoomEvent>) => void) => void;
  'room.history': (p: RoomHistoryPayload, ack: (r: Ack<RoomHistory>) => void) => void;
  'shuttle.submit': (p: ShuttleSubmitPayload, ack: (r: Ack<ShuttleMessageView>) => void) => void;
  'shuttle.withdraw': (p: { messageId: string }, ack: (r: Ack<ShuttleMessageView>) => void) => void;
  'shuttle.decide': (p: ShuttleDecidePayload, ack: (r: Ack<ShuttleMessageView>) => void) => void;
  'shuttle.list': (p: Record<string, never>, ack: (r: Ack<ShuttleMessageView[]>) => void) => void;
  'agreement.get': (p: Record<string, never>, ack: (r: Ack<AgreementView>) => void) => void;
  'agreement.edit': (p: { change: ProposalChange }, ack: (r: Ack<AgreementView & { clauseId: string; version: number }>) => void) => void;
  'agreement.propose': (p: ProposePayload, ack: (r: Ack<ProposalView>) => void) => void;
  'agreement.respond': (p: RespondPayload, ack: (r: Ack<ProposalView>) => void) => void;
  'agreement.mark': (p: MarkPayload, ack: (r: Ack<AgreementView>) => void) => void;
  /** y-protocols sync step 1 (or step 2 / update): the answer carries the replies. */
  'draft.sync': (p: DraftMessagePayload, ack: (r: Ack<DraftSyncAnswer>) => void) => void;
  'media.join': (p: MediaJoinPayload, ack: (r: Ack<MediaJoinView>) => void) => void;
  'media.publish': (p: MediaPublishPayload, ack: (r: Ack<{ answerSdp: string; feedId: string }>) => void) => void;
  'media.subscribe': (p: MediaSubscribePayload, ack: (r: Ack<MediaSubscriptionOffer>) => void) => void;
  'media.answer': (p: MediaAnswerPayload, ack: (r: Ack<{ subscribed: true }>) => void) => void;
  'media.leave': (p: Record<string, never>, ack: (r: Ack<{ left: true }>) => void) => void;
  /** Whether one's microphone and camera are on, for the muted and camera-off marks on tiles. */
  'media.state': (p: MediaStatePayload, ack: (r: Ack<{ micOn: boolean; cameraOn: boolean }>) => void) => void;
  /** An interpreter takes the active turn on their channel in their room (a handover); the room gets media.feeds. */
  'media.take-channel': (p: MediaChannelTakePayload, ack: (r: Ack<{ channel: string; feedId: string }>) => void) => void;
  /** The simulcast layer this page receives of every camera in its room (kept with its seat, for later subscriptions too). */
  'media.layer': (p: MediaLayerPayload, ack: (r: Ack<{ layer: VideoLayer }>) => void) => void;
  'hand.raise': (p: HandRaisePayload, ack: (r: Ack<RoomFloor>) => void) => void;
  'hand.lower': (p: HandLowerPayload, ack: (r: Ack<RoomFloor>) => void) => void;
  'timer.set': (p: TimerSetPayload, ack: (r: Ack<RoomFloor>) => void) => void;
  'timer.clear': (p: TimerClearPayload, ack: (r: Ack<RoomFloor>) => void) => void;
  /** The floor of every room one may see (one's own room; every room for mediators). */
  'floor.get': (p: Record<string, never>, ack: (r: Ack<RoomFloor[]>) => void) => void;
}

export const CLIENT_EVENTS = [
  'auth.renew',
  'session.join',
  'participant.admit',
  'participant.move',
  'participant.send-to-lobby',
  'session.change-status',
  'presence.get',
  'invitation.create',
  'chat.post',
  'room.history',
  'shuttle.submit',
  'shuttle.withdraw',
  'shuttle.decide',
  'shuttle.list',
  'agreement.get',
  'agreement.edit',
  'agreement.propose',
  'agreement.respond',
  'agreement.mark',
  'draft.sync',
  'media.join',
  'media.publish',
  'media.subscribe',
  'media.answer',
  'media.leave',
  'media.state',
  'media.take-channel',
  'media.layer',
  'hand.raise',
  'hand.lower',
  'timer.set',
  'timer.clear',
  'floor.get',
] as const satisfies ReadonlyArray<keyof ClientToServerEvents>;

/**
 * Names of the previous release, before every event name became `noun.verb` in kebab-case. The
 * server still accepts each (it answers as the new name) until the next release; clients send the
 * new names. Deprecated.
 */
export const DEPRECATED_CLIENT_EVENTS = {
  'participant.sendToLobby': 'participant.send-to-lobby',
  'session.changeStatus': 'session.change-status',
} as const satisfies Readonly<Record<string, (typeof CLIENT_EVENTS)[number]>>;

/** The current name of a client event: itself, or what a deprecated name became. */
export function currentClientEvent(name: string): string {
  return Object.prototype.hasOwnProperty.call(DEPRECATED_CLIENT_EVENTS, name)
    ? DEPRECATED_CLIENT_EVENTS[name as keyof typeof DEPRECATED_CLIENT_EVENTS]
    : name;
}
