/**
 * How long, in ms, a media room may stay without any seat before its SFU room is released
 * (AppConfig.mediaRoomIdleSeconds, MEDIA_ROOM_IDLE_SECONDS).
 */
export const MEDIA_ROOM_IDLE_MS = Symbol('MEDIA_ROOM_IDLE_MS');
