/**
 * Whether this page's socket has joined its session: requests other than the join wait here, so a
 * page that asks while its socket is (re)connecting waits for the join instead of being refused
 * SOCKET_NOT_JOINED. Closed again when the socket drops; every wait is bounded (`tooLate` names
 * the failure), and `abort` ends every wait at once (the page left, another device took over).
 */
export class JoinGate {
  private joined = false;
  private readonly waiters = new Set<{ ok: () => void; fail: (e: Error) => void }>();

  constructor(
    private readonly tooLate: () => Error,
    private readonly defaultBoundMs = 30_000,
  ) {}

  get isOpen(): boolean {
    return this.joined;
  }

  open(): void {
    this.joined = true;
    for (const w of this.waiters) w.ok();
    this.waiters.clear();
  }

  close(): void {
    this.joined = false;
  }

  abort(reason: Error): void {
    this.joined = false;
    for (const w of this.waiters) w.fail(reason);
    this.waiters.clear();
  }

  /** Resolves once joined; rejects with `tooLate()` after `boundMs`. */
  wait(boundMs = this.defaultBoundMs): Promise<void> {
    if (this.joined) return Promise.resolve();
    return new Promise<void>((ok, fail) => {
      const w = {
        ok: () => {
          clearTimeout(timer);
          ok();
        },
        fail: (e: Error) => {
          clearTimeout(timer);
          fail(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        fail(this.tooLate());
      }, boundMs);
      this.waiters.add(w);
    });
  }
}
