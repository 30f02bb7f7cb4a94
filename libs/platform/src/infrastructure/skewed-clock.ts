import { Clock, SystemClock } from './clock';

interface Wake {
  /** Sets (again) the machine's timer for the wake-up's time at the current skew. */
  arm: () => void;
  cancel: () => void;
}

/**
 * The machine's time plus a skew that a test moves forward (`advance`). Time flows as usual — for
 * a browser page whose own clock the test leaves alone — and the server can be put ahead of it,
 * as a clock skew would: wake-ups that come due by the move fire on a later turn.
 */
export class SkewedClock extends Clock {
  private skew = 0;
  private readonly system = new SystemClock();
  private readonly wakes = new Set<Wake>();

  now(): number {
    return Date.now() + this.skew;
  }

  wakeAt(at: number, fire: () => void): () => void {
    let cancelTimer = () => undefined as void;
    const wake: Wake = {
      arm: () => {
        cancelTimer();
        cancelTimer = this.system.wakeAt(at - this.skew, () => {
          this.wakes.delete(wake);
          fire();
        });
      },
      cancel: () => {
        cancelTimer();
        this.wakes.delete(wake);
      },
    };
    this.wakes.add(wake);
    wake.arm();
    return wake.cancel;
  }

  /** Puts the clock `ms` further ahead of the machine's. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('a clock does not go back');
    this.skew += ms;
    for (const wake of this.wakes) wake.arm();
  }
}
