import { DomainError } from '@parley/platform/domain';
import type { SessionStatus } from '@parley/contracts';
import { assertStatusAllows, entryDenial, isMediator, type LocatedParticipant, type Room } from '@parley/sessions/domain';

/**
 * Which of a room's events a reader is given: all of them, but that an interpreter is given no
 * shuttle event (a caucus carries its delegation's messages to the mediator and what was conveyed
 * to it): an interpreter has no shuttle, neither sending nor receiving.
 */
export const mayReceiveRoomEvent = (reader: Pick<LocatedParticipant, 'role'>, type: string): boolean =>
  !(reader.role === 'interpreter' && isShuttleEvent(type));

/** A room event of the shuttle (a message to the mediator, a conveyed one), not of the chat. */
export const isShuttleEvent = (type: string): boolean => type.startsWith('shuttle.');

/** Reading a room's stream (history, replay): whoever may be in the room. */
export function assertMayRead(actor: LocatedParticipant, room: Room): void {
  const denial = entryDenial(actor, room);
  if (denial) throw new DomainError(denial.code, denial.message, 'roomId');
}

/**
 * Posting: observers never; party members and interpreters where they are (and may be) — an
 * interpreter speaks in the room they serve, chat included; mediators into any room,
 * including one they are not in. The status decides through the lifecycle table: parties speak
 * only while the session is open (`partyPost`); mediators may also confer in a draft or suspended
 * session (`mediatorPost`); nobody writes once it is closed — refused before the room is looked at.
 */
export function assertMayPost(actor: LocatedParticipant, room: Room, status: SessionStatus): void {
  if (actor.role === 'observer') throw new DomainError('OBSERVER_READ_ONLY', 'Observers cannot post.');
  // Where not even a mediator may post (closed), nobody may: said before the room is looked at.
  assertStatusAllows(status, 'mediatorPost');
  assertMayRead(actor, room);
  if (room.closed) throw new DomainError('ROOM_CLOSED', 'This room is closed.', 'roomId');
  if (isMediator(actor)) return;
  assertStatusAllows(status, 'partyPost');
  if (actor.roomId !== room.id) throw new DomainError('NOT_IN_ROOM', 'Post in the room you are in.', 'roomId');
}
