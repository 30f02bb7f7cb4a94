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

/**
 * On any change of where a participant is, or of their role: the media room they must leave at
 * once (everything of theirs in it is torn down before anything else), or null when they stay.
 */
export function mediaToTearDown(
  before: { roomId: string | null; role: LocatedParticipant['role'] },
  after: { roomId: string | null; role: LocatedParticipant['role'] },
): string | null {
  if (!before.roomId) return null;
  if (before.roomId !== after.roomId || before.role !== after.role) return before.roomId;
  return null;
}
