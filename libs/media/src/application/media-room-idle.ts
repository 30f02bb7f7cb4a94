/**
 * How long a media room may stay without any seat before its SFU room is released
 * (MEDIA_ROOM_IDLE_SECONDS, default 300 s: a participant who steps out and back in within five
 * minutes finds the room as it was; a room nobody uses holds nothing in the SFU for longer).
 */
export const MEDIA_ROOM_IDLE_MS = Symbol('MEDIA_ROOM_IDLE_MS');

export const MEDIA_ROOM_IDLE_DEFAULT_SECONDS = 300;

/** The idle time in ms from the environment; a value that is not a whole number of seconds from 1 to 86400 is refused. */
export function mediaRoomIdleMs(env: Record<string, string | undefined>): number {
  const raw = env.MEDIA_ROOM_IDLE_SECONDS?.trim();
  if (raw === undefined || raw === '') return MEDIA_ROOM_IDLE_DEFAULT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 1 || seconds > 86_400)
    throw new Error(`MEDIA_ROOM_IDLE_SECONDS must be a whole number of seconds from 1 to 86400 (got "${raw}")`);
  return seconds * 1000;
}
