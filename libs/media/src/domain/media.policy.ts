import type { ErrorCode, SessionStatus } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import { entryDenial, type LocatedParticipant, type Room } from '@parley/sessions/domain';
import type { MediaKind } from './media-kind';

export type MediaAction = 'receive' | 'publish';

/**
 * Why a participant may not have media in a room now, or null when they may. Media follows the
 * same membership as everything else, and the stored location, not the client, says where someone
 * is: only the room they are in right now, never the lobby, never a room they may not enter.
 * Observers receive only. Nothing once the session is closed.
 */
export function mediaDenial(
  p: LocatedParticipant,
  room: Room,
  status: SessionStatus,
  action: MediaAction,
): { code: ErrorCode; message: string } | null {
  if (status === 'closed') return { code: 'SESSION_CLOSED', message: 'The session is closed.' };
  if (room.closed) return { code: 'ROOM_CLOSED', message: 'This room is closed.' };
  const denied = entryDenial(p, room);
  if (denied) return denied;
  if (p.roomId !== room.id) return { code: 'NOT_IN_ROOM', message: 'Media is only for the room you are in.' };
  if (action === 'publish' && p.role === 'observer')
    return { code: 'OBSERVER_READ_ONLY', message: 'Observers receive only: they never publish.' };
  return null;
}

export function assertMayHaveMedia(p: LocatedParticipant, room: Room, status: SessionStatus, action: MediaAction): void {
  const denial = mediaDenial(p, room, status, action);
  if (denial) throw new DomainError(denial.code, denial.message, 'roomId');
}

/** Whether the SFU gives this participant a publishing seat in this room at all. */
export const mayPublish = (p: LocatedParticipant, room: Room, status: SessionStatus): boolean =>
  mediaDenial(p, room, status, 'publish') === null;

/**
 * What is actually sent or received: audio only when the participant or the room asked for it
 * (low bandwidth); never nothing but an empty request.
 */
export function effectiveKinds(requested: readonly MediaKind[], audioOnly: { participant: boolean; room: boolean }): MediaKind[] {
  const kinds = [...new Set(requested)];
  return audioOnly.participant || audioOnly.room ? kinds.filter((k) => k === 'audio') : kinds;
}

/** A media seat as held: the room it is in, and whether it publishes there. */
export interface HeldMediaSeat {
  roomId: string;
  mayPublish: boolean;
}

/** What the stored state allows the seat's holder now, after a change of placement or role. */
export interface MediaRightsNow {
  /** Where they are now (null: the lobby). */
  roomId: string | null;
  /** They may still receive media in the seat's room (membership, session and room open). */
  mayReceive: boolean;
  /** They may publish in the seat's room. */
  mayPublish: boolean;
}

/**
 * On any change of where a participant is, or of their role or of the room or session: the seat
 * to cut at once, and why, or null when it stays. A move (to another room or to the lobby) cuts
 * everything at once. In the same room, a seat is cut when it holds something its holder may no
 * longer have: reception they may no longer have, or a publishing seat when they may no longer
 * publish (became an observer). A change that only adds a right (an observer made a party member)
 * or changes nothing the seat carries (co-mediator made lead) cuts nothing: they keep what they
 * have, and a new join gives them the new right.
 */
export function mediaToTearDown(seat: HeldMediaSeat, now: MediaRightsNow): { roomId: string; reason: 'moved' | 'role_changed' } | null {
  if (seat.roomId !== now.roomId) return { roomId: seat.roomId, reason: 'moved' };
  if (!now.mayReceive || (seat.mayPublish && !now.mayPublish)) return { roomId: seat.roomId, reason: 'role_changed' };
  return null;
}
