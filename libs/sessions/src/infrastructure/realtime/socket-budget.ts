/** A socket's budget: a bucket of `burst` points, refilled at `perSecond`. */
export interface BudgetRule {
  burst: number;
  perSecond: number;
  /** Refused this many times without a pause: the socket is flooding (0: never said). */
  floodRefusals: number;
}

/** A pause in refusals this long ends a streak: the socket listened to its retry-after. */
export const FLOOD_PAUSE_MS = 5_000;

export type Spend = { ok: true } | { ok: false; retryAfterMs: number; flooding: boolean };

/**
 * One socket's event budget, in memory: a socket lives on one instance and its budget dies with
 * it, so nothing is keyed, swept or timed. A token bucket on the injected clock: `burst` events at
 * once, then `perSecond` — a refusal is one subtraction, before any other work. It also tells when
 * the socket keeps sending into refusals: `floodRefusals` of them with no pause of FLOOD_PAUSE_MS.
 * What a flood costs is its refusals (each is still a packet read and answered), so it is told by
 * their number, not their duration.
 */
export class SocketBudget {
  private points: number;
  private at: number;
  private refusals = 0;
  private lastRefusal = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly rule: BudgetRule,
    now: number,
  ) {
    this.points = rule.burst;
    this.at = now;
  }

  spend(now: number, cost = 1): Spend {
    this.points = Math.min(this.rule.burst, this.points + ((now - this.at) * this.rule.perSecond) / 1000);
    this.at = now;
    if (this.points >= cost) {
      this.points -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: ((cost - this.points) * 1000) / this.rule.perSecond, flooding: this.refused(now) };
  }

  /** Counts a refusal (its own, or another limit's): says whether the socket is now flooding. */
  refused(now: number): boolean {
    this.refusals = now - this.lastRefusal >= FLOOD_PAUSE_MS ? 1 : this.refusals + 1;
    this.lastRefusal = now;
    return this.rule.floodRefusals > 0 && this.refusals >= this.rule.floodRefusals;
  }
}
