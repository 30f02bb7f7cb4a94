/** Work of one request: `run` answers it, `drop` forgets it (its socket is gone). */
export interface Job {
  run(): Promise<void>;
  drop(): void;
}

/**
 * A socket's requests run at most `width` at a time, at most `maxWaiting` others wait their turn
 * in order (a socket sending without waiting for its answers is refused beyond that): one
 * socket's burst, even within its budget, holds at most `width` of the database's connections (the
 * embedded database has one). The next one starts on a later turn of the event loop, so what other
 * sockets sent meanwhile is read first (the embedded database answers within the same turn, and a
 * chain of requests would otherwise run start to end before any other socket is read). Requests
 * still waiting when the socket closes are dropped: no one is left to answer, and a page sends
 * again what it did not get an answer for.
 */
export class Lane {
  private running = 0;
  private readonly waiting: Job[] = [];
  private closed = false;

  constructor(
    private readonly width: number,
    private readonly maxWaiting: number,
  ) {}

  /** Whether one more request may wait its turn (a client that waits for its answers never fills it). */
  get hasRoom(): boolean {
    return this.running < this.width || this.waiting.length < this.maxWaiting;
  }

  run(job: Job): void {
    if (this.closed) return job.drop();
    if (this.running >= this.width) {
      this.waiting.push(job);
      return;
    }
    this.running += 1;
    this.start(job);
  }

  close(): void {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.drop();
  }

  private start(job: Job): void {
    void job.run().finally(() => this.next());
  }

  /** One finished: the first waiting takes its place (kept for it, so none overtakes it). */
  private next(): void {
    const job = this.waiting.shift();
    if (!job) {
      this.running -= 1;
      return;
    }
    setImmediate(() => {
      if (!this.closed) return this.start(job);
      job.drop();
      this.next();
    });
  }
}
