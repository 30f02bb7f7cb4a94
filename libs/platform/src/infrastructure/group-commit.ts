/** SQLSTATEs after which a write is worth making again: a deadlock victim, a serialisation failure. */
const RETRYABLE = new Set(['40P01', '40001']);

export interface GroupCommitOptions {
  /** How long the first item of a batch waits for company when no write is under way (0: not at all). */
  windowMs: number;
  /** The most items one write carries. */
  maxBatch: number;
  /** Writes under way at once; items arriving meanwhile wait and go together in the next one. */
  concurrency?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items submitted one by one are written together, one write per batch. While
 * `concurrency` writes are under way, arrivals queue and leave together as soon as one ends, so a
 * busy server makes fewer, larger writes and an idle one writes each item at once (plus
 * `windowMs`, when set). Each item is answered with its own outcome, in the order of `write`'s
 * answer. A batch whose write fails is written again item by item, so one bad item fails alone,
 * and a deadlock victim gets one more try.
 */
export class GroupCommit<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private writes = 0;
  private items = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  stats(): { writes: number; posts: number } {
    return { writes: this.writes, posts: this.items };
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 1;
    while (this.running < concurrency && this.queue.length > 0) {
      const full = this.queue.length >= this.options.maxBatch;
      if (this.options.windowMs > 0 && !full && this.running === 0) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.flush();
        }, this.options.windowMs);
        return;
      }
      this.flush();
    }
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    this.running++;
    void this.run(batch).finally(() => {
      this.running--;
      this.pump();
    });
  }

  private async run(batch: Array<Pending<I, O>>): Promise<void> {
    this.writes++;
    this.items += batch.length;
    try {
      const outcomes = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (e) {
      if (batch.length === 1 && !RETRYABLE.has((e as { code?: string }).code ?? '')) {
        batch[0].reject(e);
        return;
      }
      // Item by item: the one that fails fails alone; a deadlock victim gets its one more try.
      await Promise.all(
        batch.map(async (p) => {
          try {
            const [o] = await this.write([p.item]);
            p.resolve(o);
          } catch (again) {
            p.reject(again);
          }
        }),
      );
    }
  }
}
