import type { RoomActivity } from '../../application/media.port';

/**
 * Who speaks in one media room, from the VideoRoom's `talking` / `stopped-talking` events.
 *
 * Janus decides "talking" itself: every `audio_active_packets` packets of a publisher's audio it
 * averages the ssrc-audio-level extension and compares it with `audio_level_average`, and sends an
 * event only when the answer changes. Each event carries that average as Janus writes audio levels,
 * 0 (loudest) to 127 (silence), that is minus the level in dBov. This keeps the participants Janus
 * last said were talking, with the level of that event, and answers the room's activity after each
 * change (null when nothing changed, so that listeners hear changes only).
 */
export class TalkingTracker {
  private readonly speaking = new Map<string, number>();

  constructor(private readonly roomId: string) {}

  /** A `talking` event (`level`: Janus' 0-127 average) or a `stopped-talking` one. */
  heard(participantId: string, talking: boolean, level: number | undefined): RoomActivity | null {
    if (!talking) return this.gone(participantId);
    const dBov = toDbov(level);
    if (this.speaking.get(participantId) === dBov) return null;
    this.speaking.set(participantId, dBov);
    return this.activity();
  }

  /** The participant stopped publishing or left: they no longer speak here. */
  gone(participantId: string): RoomActivity | null {
    return this.speaking.delete(participantId) ? this.activity() : null;
  }

  /** The loudest speaker first; ties by participant id, so that the answer does not depend on arrival order. */
  activity(): RoomActivity {
    const levels = [...this.speaking]
      .map(([participantId, dBov]) => ({ participantId, dBov }))
      .sort((a, b) => b.dBov - a.dBov || (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0));
    return { roomId: this.roomId, speaking: levels[0]?.participantId ?? null, levels };
  }
}

/** Janus' 0-127 (minus dBov) as dBov, -127 to 0, one decimal; a missing level counts as just audible. */
export function toDbov(level: number | undefined): number {
  if (typeof level !== 'number' || !Number.isFinite(level)) return -127;
  const clamped = Math.min(127, Math.max(0, level));
  return clamped === 0 ? 0 : -Math.round(clamped * 10) / 10;
}
