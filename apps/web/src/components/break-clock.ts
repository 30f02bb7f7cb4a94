/**
 * What a break's countdown shows at a given moment: nothing to count (no length announced), the
 * time left as mm:ss, or, once the announced end has passed, that the talks are resuming soon.
 * Pure: the time is passed in, so the spec moves it instead of waiting.
 */
export type BreakClock = { kind: 'no_end' } | { kind: 'counting'; secondsLeft: number; text: string } | { kind: 'resuming_soon' };

export function breakClock(endsAt: string | null, now: number): BreakClock {
  if (!endsAt) return { kind: 'no_end' };
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return { kind: 'no_end' };
  // Rounded up: 0.3 s left still reads 00:01, and 00:00 is never shown as time left.
  const secondsLeft = Math.ceil((end - now) / 1000);
  if (secondsLeft <= 0) return { kind: 'resuming_soon' };
  return { kind: 'counting', secondsLeft, text: mmss(secondsLeft) };
}

/** 65 → "01:05"; a break longer than 99 minutes keeps counting in minutes ("125:00"). */
export function mmss(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
