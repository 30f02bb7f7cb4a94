/** The clock's display: m:ss under an hour, h:mm:ss above; never negative. Digits stay left to right. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * What a screen reader is told, at coarse steps only (a live region that spoke every second would
 * drown the room): each whole minute left, then 30 and 10 seconds, then time up. Between steps the
 * step stays the same, so the region does not change.
 */
export type ClockStep = { kind: 'minutes'; n: number } | { kind: 'seconds'; n: 30 | 10 } | { kind: 'up' };

export function clockStep(seconds: number): ClockStep {
  if (seconds <= 0) return { kind: 'up' };
  if (seconds <= 10) return { kind: 'seconds', n: 10 };
  if (seconds <= 30) return { kind: 'seconds', n: 30 };
  return { kind: 'minutes', n: Math.ceil(seconds / 60) };
}

export const sameStep = (a: ClockStep, b: ClockStep): boolean => a.kind === b.kind && (a.kind === 'up' || (b.kind !== 'up' && a.n === b.n));

/** minutes:seconds typed by a mediator, as seconds: null unless 1 s to 24 h, whole numbers. */
export function durationOf(minutes: string, seconds: string): number | null {
  const m = minutes.trim() === '' ? 0 : Number(minutes);
  const s = seconds.trim() === '' ? 0 : Number(seconds);
  if (!Number.isInteger(m) || !Number.isInteger(s) || m < 0 || s < 0 || s > 59) return null;
  const total = m * 60 + s;
  return total >= 1 && total <= 86_400 ? total : null;
}
