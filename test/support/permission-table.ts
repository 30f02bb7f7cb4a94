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
 * - admit: the actor admits that participant from the lobby.
 */
export const ROOM_ACTIONS = ['join', 'enterSelf', 'receive', 'moveOthers', 'admit'] as const;
export type RoomAction = (typeof ROOM_ACTIONS)[number];

/** Session actions (no room): invite a party member / a co-mediator, suspend (and reopen), close. */
export const SESSION_ACTIONS = ['inviteParty', 'inviteCoMediator', 'suspend', 'close'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

export type Outcome = 'allow' | ErrorCode;

const ALL: Record<RoomSlot, Outcome> = {
  plenary: 'allow', caucusA: 'allow', caucusB: 'allow', mediatorRoom: 'allow', jointWithActor: 'allow', jointWithoutActor: 'allow',
};
const every = (o: Outcome): Record<RoomSlot, Outcome> =>
  Object.fromEntries(ROOMS.map((r) => [r, o])) as Record<RoomSlot, Outcome>;

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
// A non-participant's participant id from another session: naming it in this session fails.
const foreign: Record<RoomSlot, Outcome> = { ...every('PARTICIPANT_NOT_FOUND') };

const join: Record<Actor, Record<RoomSlot, Outcome>> = {
  leadMediator: ALL,
  coMediator: ALL,
  partyAMember: partyA,
  partyAHead: partyA,
  partyBMember: partyB,
  observer,
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
  nonParticipant: every('SESSION_NOT_FOUND'),
  anonymous: every('UNAUTHENTICATED'),
});

export const ROOM_TABLE: Record<RoomAction, Record<Actor, Record<RoomSlot, Outcome>>> = {
  join,
  enterSelf: mediatorsOnly('MOVE_FORBIDDEN'),
  receive: join,
  moveOthers: mediatorsOnly('MOVE_FORBIDDEN'),
  admit: mediatorsOnly('MOVE_FORBIDDEN'),
};

const anyMediator: Record<Actor, Outcome> = {
  leadMediator: 'allow', coMediator: 'allow', partyAMember: 'MEDIATOR_ONLY', partyAHead: 'MEDIATOR_ONLY',
  partyBMember: 'MEDIATOR_ONLY', observer: 'MEDIATOR_ONLY', nonParticipant: 'SESSION_NOT_FOUND', anonymous: 'UNAUTHENTICATED',
};
const leadOnly: Record<Actor, Outcome> = { ...anyMediator, coMediator: 'LEAD_MEDIATOR_ONLY' };

export const SESSION_TABLE: Record<SessionAction, Record<Actor, Outcome>> = {
  inviteParty: anyMediator,
  inviteCoMediator: leadOnly,
  suspend: anyMediator,
  close: leadOnly,
};
