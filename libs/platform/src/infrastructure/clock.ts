/**
 * The time as the server's rules read it: when an access token expires, when a cooling-off period
 * ends. A port, injected under this class, so that a test moves time (ManualClock) rather than
 * sleeping through it.
 */
export abstract class Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  abstract now(): number;

  /**
   * Calls `fire` once, as soon as the clock reads `at` (epoch ms) or later — on a later turn of the
   * event loop, never from inside this call. Returns a function that cancels it. It does not keep
   * the process alive.
   */
  abstract wakeAt(at: number, fire: () => void): () => void;
}

/** setTimeout's longest delay; a wake-up further off is re-armed on the way. */
const LONGEST_TIMEOUT = 2 ** 31 - 1;

/** The machine's clock: what the server runs on. */
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }

  wakeAt(at: number, fire: () => void): () => void {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at - Date.now();
      timer = setTimeout(wait > LONGEST_TIMEOUT ? arm : fire, Math.min(Math.max(0, wait), LONGEST_TIMEOUT));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  }
}
