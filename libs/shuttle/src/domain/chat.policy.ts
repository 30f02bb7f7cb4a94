import { DomainError } from '@parley/platform/domain';
import type { SessionStatus } from '@parley/contracts';
import { entryDenial, isMediator, type LocatedParticipant, type Room } from '@parley/sessions/domain';

/** Reading a room's stream (history, replay): whoever may be in the room. */
export function assertMayRead(actor: LocatedParticipant, room: Room): void {
  const denial = entryDenial(actor, room);
  if (denial) throw new DomainError(denial.code, denial.message, 'roomId');
}

/**
 * Posting: observers never; party members where they are (and may be); mediators into any room,
 * including one they are not in. Parties speak only while the session is open; mediators may
 * also confer in a draft or suspended session; nobody writes once it is closed.
 */
export function assertMayPost(actor: LocatedParticipant, room: Room, status: SessionStatus): void {
  if (actor.role === 'observer') throw new DomainError('OBSERVER_READ_ONLY', 'Observers cannot post.');
  if (status === 'closed') throw new DomainError('SESSION_CLOSED', 'The session is closed.');
  assertMayRead(actor, room);
  if (room.closed) throw new DomainError('ROOM_CLOSED', 'This room is closed.', 'roomId');
  if (isMediator(actor)) return;
  if (status !== 'open') throw new DomainError('SESSION_NOT_OPEN', `The session is ${status}.`);
  if (actor.roomId !== room.id) throw new DomainError('NOT_IN_ROOM', 'Post in the room you are in.', 'roomId');
}
