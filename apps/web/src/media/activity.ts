import type { MediaActivity } from '@parley/contracts';

/**
 * Who is highlighted as speaking, after a `media.activity` event: the SFU's dominant speaker of the
 * room this page's media is in (null: silence). An event of another room (one just left, arriving
 * late) changes nothing; leaving the room clears it (the engine does).
 */
export function speakingAfter(current: string | null, roomId: string | null, e: MediaActivity): string | null {
  if (!roomId || e.roomId !== roomId) return current;
  return e.speaking;
}
