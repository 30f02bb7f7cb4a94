/**
 * Serialises what is done per key (a seat, a room), so that a teardown never races a join: each
 * call runs once every earlier call with the same key has settled (fulfilled or rejected), calls
 * with different keys run concurrently, and a key is forgotten once nothing waits on it.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, f: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(f, f);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** How many keys have work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
