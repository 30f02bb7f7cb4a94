/** How a lost SFU is brought back: the first retry soon, then slower, never faster than the ceiling. */
export interface RestartBackoffOptions {
  /** The wait before the first attempt after a loss (ms). */
  initialMs: number;
  /** Each failure in a row multiplies the wait by this. */
  factor: number;
  /** The longest wait (ms): a Janus that crashes at once, every time, is tried this often and no more. */
  ceilingMs: number;
  /**
   * A run at least this long (ms) was a recovery: the next failure starts the series again. A run
   * shorter than this (a crash soon after a start) counts as a failure of the same series.
   */
  stableMs: number;
}

export const SFU_RESTART_BACKOFF: RestartBackoffOptions = { initialMs: 200, factor: 2, ceilingMs: 30_000, stableMs: 60_000 };

export interface RetryPlan {
  /** 1 for the first attempt after a loss. */
  attempt: number;
  delayMs: number;
}

/**
 * Exponential backoff with a ceiling, counted over a window: failures — a start that did not come
 * up, a run that ended before `stableMs` — add to the series; a run that lasted `stableMs` ends it.
 * Plain state and arithmetic on the times it is given: the caller owns the clock.
 */
export class RestartBackoff {
  private failures = 0;
  private upSince: number | null = null;

  constructor(private readonly opts: RestartBackoffOptions = SFU_RESTART_BACKOFF) {}

  /** The SFU came up (started, connected) at `at`. */
  succeeded(at: number): void {
    this.upSince = at;
  }

  /** The SFU was lost, or an attempt failed, at `at`: when to try next. */
  failed(at: number): RetryPlan {
    if (this.upSince !== null && at - this.upSince >= this.opts.stableMs) this.failures = 0;
    this.upSince = null;
    this.failures++;
    const delayMs = Math.min(this.opts.ceilingMs, this.opts.initialMs * this.opts.factor ** (this.failures - 1));
    return { attempt: this.failures, delayMs };
  }
}
