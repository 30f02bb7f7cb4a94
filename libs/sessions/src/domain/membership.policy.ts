import { DomainError } from '@parley/platform/domain';
import type { ErrorCode } from '@parley/contracts';
import { isMediator, type Participant, type Room } from './model';

/**
 * Why a participant may not be in a room, or null when they may.
 *
 * - mediators: every room;
 * - party members: the plenary, their own party's caucus, joint rooms that name them;
 * - observers: the plenary only (and there read-only);
 * - interpreters: the plenary, the caucus of the party that brought them (never another's, and
 *   none for the mediators' own interpreter), joint rooms that name them; never the mediator room.
 *
 * This is the rule everything else hangs from: socket rooms, fan-out, history and media
 * subscriptions are all derived from it.
 */
export function entryDenial(p: Participant, room: Room): { code: ErrorCode; message: string } | null {
  if (isMediator(p) || room.kind === 'plenary') return null;
  if (p.role === 'observer') {
    return { code: 'OBSERVER_PLENARY_ONLY', message: 'Observers may only be in the plenary.' };
  }
  if (p.role === 'interpreter' && room.kind === 'caucus') {
    return room.partyId !== null && room.partyId === (p.broughtByPartyId ?? null)
      ? null
      : { code: 'CAUCUS_FORBIDDEN', message: 'An interpreter may be only in the caucus of the party that brought them.' };
  }
  switch (room.kind) {
    case 'caucus':
      return p.partyId !== null && room.partyId === p.partyId
        ? null
        : { code: 'CAUCUS_FORBIDDEN', message: "A party member may not enter another party's caucus." };
    case 'mediator':
      return { code: 'MEDIATOR_ROOM_FORBIDDEN', message: 'Only mediators may enter the mediator room.' };
    case 'joint':
      return room.memberIds.includes(p.id)
        ? null
        : { code: 'JOINT_ROOM_FORBIDDEN', message: 'This joint room does not name this participant.' };
  }
}

/** True when the participant may be in the room. */
export const mayEnter = (p: Participant, room: Room): boolean => entryDenial(p, room) === null;

/** Throws the denial as a DomainError. */
export function assertMayEnter(p: Participant, room: Room): void {
  const denial = entryDenial(p, room);
  if (denial) throw new DomainError(denial.code, denial.message, 'roomId');
}

/** The rooms, among `rooms`, that this participant may see and enter. */
export const visibleRooms = <R extends Room>(p: Participant, rooms: readonly R[]): R[] => rooms.filter((r) => !r.closed && mayEnter(p, r));
