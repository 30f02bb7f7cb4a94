/**
 * What the API process does with a failure nobody handled — decided here, not left to Node's
 * defaults (since Node 15 an unhandled rejection ends the process: that is how a Redis outage
 * used to stop every instance).
 *
 * - **unhandledRejection: keep serving.** A rejected promise nobody awaited belongs to work whose
 *   caller has already moved on (a fire-and-forget publish, a timer's task): that one operation
 *   failed, and the rest of the process is as consistent as it was. Ending the process would turn
 *   one failed operation into an outage for every connected person. It is logged with its stack
 *   (it is a defect: something should have handled it) and counted; the same failure repeated is
 *   logged once, then counted, so a loop cannot flood the log.
 * - **uncaughtException: stop, after trying to close gracefully, with exit code 1.** A synchronous
 *   throw that reached the top unwound through code that was half-way through changing state (in
 *   memory, listeners, timers); Node documents the process as unsafe to resume. Closing lets
 *   answered requests finish and the database close cleanly; the supervisor (systemd, Docker,
 *   Kubernetes) starts a fresh process. The close is bounded: a close that hangs, or a second
 *   exception, ends the process at once.
 */
export interface ProcessPolicyOptions {
  log: { error(message: string): void; warn(message: string): void };
  /** The graceful close (the same drain as SIGTERM). */
  close: () => Promise<void>;
  exit: (code: number) => void;
  /** How long the close may take after an uncaught exception before the process exits anyway. */
  closeWithinMs: number;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
}

export class ProcessPolicy {
  private rejections = 0;
  private readonly seen = new Map<string, number>();
  private dying = false;

  constructor(private readonly options: ProcessPolicyOptions) {}

  /** Unhandled rejections seen since start. */
  get unhandledRejections(): number {
    return this.rejections;
  }

  install(target: Pick<NodeJS.Process, 'on'> = process): this {
    target.on('unhandledRejection', (reason: unknown) => this.onUnhandledRejection(reason));
    target.on('uncaughtException', (error: Error) => this.onUncaughtException(error));
    return this;
  }

  onUnhandledRejection(reason: unknown): void {
    this.rejections += 1;
    const text = describe(reason);
    const key = text.split('\n').slice(0, 2).join('\n');
    const times = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, times);
    if (times === 1) {
      this.options.log.error(`Unhandled promise rejection (#${this.rejections}; the process keeps serving): ${text}`);
    } else if (isPowerOfTen(times)) {
      this.options.log.warn(`The same unhandled rejection again: ${times} times so far (${this.rejections} in all): ${key.split('\n')[0]}`);
    }
  }

  onUncaughtException(error: unknown): void {
    if (this.dying) {
      this.options.log.error(`Uncaught exception while stopping; exiting now: ${describe(error)}`);
      this.options.exit(1);
      return;
    }
    this.dying = true;
    this.options.log.error(`Uncaught exception: the process stops (exit code 1) after a graceful close: ${describe(error)}`);
    const setTimer = this.options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
    setTimer(() => {
      this.options.log.error(`Graceful close did not finish within ${this.options.closeWithinMs} ms; exiting`);
      this.options.exit(1);
    }, this.options.closeWithinMs).unref?.();
    this.options.close().then(
      () => this.options.exit(1),
      (e: unknown) => {
        this.options.log.error(`Graceful close failed: ${describe(e)}`);
        this.options.exit(1);
      },
    );
  }
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
  try {
    return `non-error value: ${JSON.stringify(reason)}`;
  } catch {
    return `non-error value: ${String(reason)}`;
  }
}

const isPowerOfTen = (n: number): boolean => n >= 10 && /^10*$/.test(String(n));
