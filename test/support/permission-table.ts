/**
 * The authorisation matrix, written as the product spec (PRODUCT.md), independent of the code:
 * every actor × room kind × action this spine defines. Domain specs and the e2e suites
 * (REST and Socket.IO) are generated from it.
 */
import type { ErrorCode } from '@parley/contracts';

export const ACTORS = [
  'leadMediator',
  'coMediator',
  'partyAMember',
  'partyAHead',
  'partyBMember',
  'observer',
  // An ar↔en interpreter brought by party A, and the mediators' own interpreter (no party).
  'partyAInterpreter',
  'mediatorsInterpreter',
  'nonParticipant',
  'anonymous',
] as const;
export type Actor = (typeof ACTORS)[number];

export const ROOMS = ['plenary', 'caucusA', 'caucusB', 'mediatorRoom', 'jointWithActor', 'jointWithoutActor'] as const;
export type RoomSlot = (typeof ROOMS)[number];

/**
 * Room actions:
 * - join: the actor is admitted to the room by the lead mediator (a client never picks its room);
 *   for actors without a participant in the session, their own attempt;
 * - enterSelf: the actor moves themselves into the room;
 * - receive: after `join`, the room's events reach the actor's socket (deny = nothing of it does);
 * - moveOthers: the actor moves another participant (a second co-mediator, who may go anywhere);
 * - admit: the actor admits that participant from the lobby;
 * - moveOthersBulk: the actor moves that participant through a bulk move (REST only).
 */
export const ROOM_ACTIONS = ['join', 'enterSelf', 'receive', 'moveOthers', 'admit', 'moveOthersBulk'] as const;
export type RoomAction = (typeof ROOM_ACTIONS)[number];

/**
 * Session actions (no room): invite a party member / a co-mediator, suspend (and reopen), close;
 * over REST only: each delegation to its caucus, everyone to the plenary, list the invitations,
 * revoke one, re-issue one.
 */
export const SESSION_ACTIONS = [
  'inviteParty',
  'inviteCoMediator',
  'suspend',
  'close',
  'gatherCaucuses',
  'gatherPlenary',
  'listInvitations',
  'revokeInvitation',
  'reissueInvitation',
] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

export type Outcome = 'allow' | ErrorCode;

const ALL: Record<RoomSlot, Outcome> = {
  plenary: 'allow',
  caucusA: 'allow',
  caucusB: 'allow',
  mediatorRoom: 'allow',
  jointWithActor: 'allow',
  jointWithoutActor: 'allow',
};
const every = (o: Outcome): Record<RoomSlot, Outcome> => Object.fromEntries(ROOMS.map((r) => [r, o])) as Record<RoomSlot, Outcome>;

const partyA: Record<RoomSlot, Outcome> = {
  plenary: 'allow',
  caucusA: 'allow',
  caucusB: 'CAUCUS_FORBIDDEN',
  mediatorRoom: 'MEDIATOR_ROOM_FORBIDDEN',
  jointWithActor: 'allow',
  jointWithoutActor: 'JOINT_ROOM_FORBIDDEN',
};
const partyB: Record<RoomSlot, Outcome> = { ...partyA, caucusA: 'CAUCUS_FORBIDDEN', caucusB: 'allow' };
const observer: Record<RoomSlot, Outcome> = {
  ...every('OBSERVER_PLENARY_ONLY'),
  plenary: 'allow',
  // An observer cannot even be named in a joint room.
  jointWithActor: 'JOINT_MEMBER_INVALID',
};
// An interpreter goes where the party that brought them goes (the plenary, its caucus, a joint room
// naming them), never another party's caucus or the mediator room; the mediators' own has no caucus.
const partyAInterpreter: Record<RoomSlot, Outcome> = { ...partyA };
const mediatorsInterpreter: Record<RoomSlot, Outcome> = { ...partyA, caucusA: 'CAUCUS_FORBIDDEN' };
// A non-participant's participant id from another session: naming it in this session fails.
const foreign: Record<RoomSlot, Outcome> = { ...every('PARTICIPANT_NOT_FOUND') };

const join: Record<Actor, Record<RoomSlot, Outcome>> = {
  leadMediator: ALL,
  coMediator: ALL,
  partyAMember: partyA,
  partyAHead: partyA,
  partyBMember: partyB,
  observer,
  partyAInterpreter,
  mediatorsInterpreter,
  nonParticipant: foreign,
  anonymous: every('UNAUTHENTICATED'),
};

const mediatorsOnly = (nonMediator: Outcome): Record<Actor, Record<RoomSlot, Outcome>> => ({
  leadMediator: ALL,
  coMediator: ALL,
  partyAMember: every(nonMediator),
  partyAHead: every(nonMediator),
  partyBMember: every(nonMediator),
  observer: every(nonMediator),
  partyAInterpreter: every(nonMediator),
  mediatorsInterpreter: every(nonMediator),
  nonParticipant: every('SESSION_NOT_FOUND'),
  anonymous: every('UNAUTHENTICATED'),
});

export const ROOM_TABLE: Record<RoomAction, Record<Actor, Record<RoomSlot, Outcome>>> = {
  join,
  enterSelf: mediatorsOnly('MOVE_FORBIDDEN'),
  receive: join,
  moveOthers: mediatorsOnly('MOVE_FORBIDDEN'),
  admit: mediatorsOnly('MOVE_FORBIDDEN'),
  moveOthersBulk: mediatorsOnly('MOVE_FORBIDDEN'),
};

const anyMediator: Record<Actor, Outcome> = {
  leadMediator: 'allow',
  coMediator: 'allow',
  partyAMember: 'MEDIATOR_ONLY',
  partyAHead: 'MEDIATOR_ONLY',
  partyBMember: 'MEDIATOR_ONLY',
  observer: 'MEDIATOR_ONLY',
  partyAInterpreter: 'MEDIATOR_ONLY',
  mediatorsInterpreter: 'MEDIATOR_ONLY',
  nonParticipant: 'SESSION_NOT_FOUND',
  anonymous: 'UNAUTHENTICATED',
};
const leadOnly: Record<Actor, Outcome> = { ...anyMediator, coMediator: 'LEAD_MEDIATOR_ONLY' };

export const SESSION_TABLE: Record<SessionAction, Record<Actor, Outcome>> = {
  inviteParty: anyMediator,
  inviteCoMediator: leadOnly,
  suspend: anyMediator,
  close: leadOnly,
  gatherCaucuses: {
    ...anyMediator,
    partyAMember: 'MOVE_FORBIDDEN',
    partyAHead: 'MOVE_FORBIDDEN',
    partyBMember: 'MOVE_FORBIDDEN',
    observer: 'MOVE_FORBIDDEN',
    partyAInterpreter: 'MOVE_FORBIDDEN',
    mediatorsInterpreter: 'MOVE_FORBIDDEN',
  },
  gatherPlenary: {
    ...anyMediator,
    partyAMember: 'MOVE_FORBIDDEN',
    partyAHead: 'MOVE_FORBIDDEN',
    partyBMember: 'MOVE_FORBIDDEN',
    observer: 'MOVE_FORBIDDEN',
    partyAInterpreter: 'MOVE_FORBIDDEN',
    mediatorsInterpreter: 'MOVE_FORBIDDEN',
  },
  listInvitations: anyMediator,
  revokeInvitation: anyMediator,
  reissueInvitation: anyMediator,
};

/**
 * Status rules: what each action answers in a session of each status, asked by someone whom
 * nothing else stops (a mediator for a mediator's act; for a party's act, a member of the
 * delegation, seated in its caucus while the session is open). Chat first, as the model: the
 * shuttle obeys the status exactly as chat does — mediators act in every status but closed,
 * party members only while open, and nobody once closed.
 * - configure: a mediator adds a party (REST) or invites (socket);
 * - connect: a party member joins the session (socket);
 * - seatParties: a mediator admits a party member from the lobby to the plenary;
 * - mediatorPost / partyPost: chat, into the mediators' room / the member's own caucus;
 * - shuttleSubmit / shuttleWithdraw: the member writes to the mediator / takes back a cooling message;
 * - shuttleConvey, …ConveyEdited, …ConveyAsMediator, …Hold, …Decline: a mediator decides a message
 *   in the queue;
 * - shuttleRelease: the cooling-off scheduler, once a message's cooling-off is over, moves it into
 *   the mediators' queue (refused = it stays cooling, stored and unseen by the mediators).
 */
export const STATUSES = ['draft', 'open', 'suspended', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_ROWS = [
  'configure',
  'connect',
  'seatParties',
  'mediatorPost',
  'partyPost',
  'shuttleSubmit',
  'shuttleWithdraw',
  'shuttleConvey',
  'shuttleConveyEdited',
  'shuttleConveyAsMediator',
  'shuttleHold',
  'shuttleDecline',
  'shuttleRelease',
] as const;
export type StatusRow = (typeof STATUS_ROWS)[number];

const untilClosed: Record<Status, Outcome> = { draft: 'allow', open: 'allow', suspended: 'allow', closed: 'SESSION_CLOSED' };
const whileOpen: Record<Status, Outcome> = {
  draft: 'SESSION_NOT_OPEN',
  open: 'allow',
  suspended: 'SESSION_NOT_OPEN',
  closed: 'SESSION_CLOSED',
};
/** A sender may take a message back during a break too: the break does not stop its cooling-off. */
const openOrOnBreak: Record<Status, Outcome> = {
  draft: 'SESSION_NOT_OPEN',
  open: 'allow',
  suspended: 'allow',
  closed: 'SESSION_CLOSED',
};

export const STATUS_TABLE: Record<StatusRow, Record<Status, Outcome>> = {
  configure: untilClosed,
  connect: untilClosed,
  seatParties: whileOpen,
  mediatorPost: untilClosed,
  partyPost: whileOpen,
  shuttleSubmit: whileOpen,
  shuttleWithdraw: openOrOnBreak,
  shuttleConvey: untilClosed,
  shuttleConveyEdited: untilClosed,
  shuttleConveyAsMediator: untilClosed,
  shuttleHold: untilClosed,
  shuttleDecline: untilClosed,
  shuttleRelease: untilClosed,
};

/**
 * The audit trail around a shuttle message of party A's while it cools off, once its sender has
 * withdrawn it, and once it is released (PRODUCT.md: a cooling message is invisible to the
 * mediators, and the trail's only readers are the mediators). `sealed`: the trail is given, the
 * message's entries in it as sealed entries only (their place and a salted commitment: no author,
 * label, target, time or hash of the text); `open`: given, those entries readable in full; an error
 * code: the trail is refused. Party A knows the message from its own shuttle list, not the trail.
 */
export const COOLING_STAGES = ['cooling', 'withdrawn', 'released'] as const;
export type CoolingStage = (typeof COOLING_STAGES)[number];
export type TrailOutcome = 'sealed' | 'open' | ErrorCode;

const trailRefused = (code: ErrorCode): Record<CoolingStage, TrailOutcome> => ({ cooling: code, withdrawn: code, released: code });
const sealedUntilReleased: Record<CoolingStage, TrailOutcome> = { cooling: 'sealed', withdrawn: 'sealed', released: 'open' };

export const COOLING_AUDIT_TABLE: Record<Actor, Record<CoolingStage, TrailOutcome>> = {
  leadMediator: sealedUntilReleased,
  coMediator: sealedUntilReleased,
  partyAMember: trailRefused('MEDIATOR_ONLY'),
  partyAHead: trailRefused('MEDIATOR_ONLY'),
  partyBMember: trailRefused('MEDIATOR_ONLY'),
  observer: trailRefused('MEDIATOR_ONLY'),
  partyAInterpreter: trailRefused('MEDIATOR_ONLY'),
  mediatorsInterpreter: trailRefused('MEDIATOR_ONLY'),
  nonParticipant: trailRefused('SESSION_NOT_FOUND'),
  anonymous: trailRefused('UNAUTHENTICATED'),
};
