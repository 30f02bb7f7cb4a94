import { Clock } from './clock';

interface Wake {
  at: number;
  fire: () => void;
}

/**
 * A clock that moves only when told to (`advance`), for tests of rules about time: a token's
 * expiry, the end of a cooling-off period. Wake-ups that come due as it advances fire in the order
 * of their times, each with the clock reading its own time.
 */
export class ManualClock extends Clock {
  private time: number;
  private readonly wakes = new Set<Wake>();

  constructor(start: number = Date.now()) {
    super();
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  wakeAt(at: number, fire: () => void): () => void {
    const wake = { at, fire };
    this.wakes.add(wake);
    // Already due: it fires on a later turn, as a timer of zero would, without waiting for a move.
    if (at <= this.time) setImmediate(() => this.fireDue());
    return () => {
      this.wakes.delete(wake);
    };
  }

  /** Moves the clock `ms` forward and fires every wake-up that came due on the way. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('a clock does not go back');
    const end = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > end) break;
      this.time = Math.max(this.time, next.at);
      this.wakes.delete(next);
      next.fire();
    }
    this.time = end;
  }

  /** Wake-ups set and not yet fired. */
  get pending(): number {
    return this.wakes.size;
  }

  private fireDue(): void {
    for (let next = this.earliest(); next && next.at <= this.time; next = this.earliest()) {
      this.wakes.delete(next);
      next.fire();
    }
  }

  private earliest(): Wake | undefined {
    let first: Wake | undefined;
    for (const w of this.wakes) if (!first || w.at < first.at) first = w;
    return first;
  }
}
