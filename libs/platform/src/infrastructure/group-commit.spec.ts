import { GroupCommit } from './group-commit';

/** A write that records each batch and answers once released (so a test decides when a write is "under way"). */
function gate() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve) => {
      batches.push(items);
      releases.push(() => resolve(items.map((i) => `stored ${i}`)));
    });
  const releaseAll = async () => {
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { batches, write, releaseAll };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes an item at once when nothing is under way, and gathers those arriving meanwhile into the next write', async () => {
    const g = gate();
    const sut = new GroupCommit(g.write, { windowMs: 0, maxBatch: 64 });
    const answers = [1, 2, 3, 4].map((i) => sut.submit(i));
    await tick();
    expect(g.batches).toEqual([[1]]);
    await g.releaseAll();
    await g.releaseAll();
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
    expect(await Promise.all(answers)).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4']);
    expect(sut.stats()).toEqual({ writes: 2, posts: 4 });
  });

  it('never carries more than maxBatch in one write', async () => {
    const g = gate();
    const sut = new GroupCommit(g.write, { windowMs: 0, maxBatch: 2 });
    const answers = [1, 2, 3, 4, 5, 6].map((i) => sut.submit(i));
    for (let k = 0; k < 5; k++) await g.releaseAll();
    expect(g.batches).toEqual([[1], [2, 3], [4, 5], [6]]);
    expect(await Promise.all(answers)).toHaveLength(6);
  });

  it('with a window, the first item waits for company that long', async () => {
    const g = gate();
    const sut = new GroupCommit(g.write, { windowMs: 20, maxBatch: 64 });
    const first = sut.submit(1);
    await new Promise((r) => setTimeout(r, 5));
    const second = sut.submit(2);
    expect(g.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(g.batches).toEqual([[1, 2]]);
    await g.releaseAll();
    expect(await Promise.all([first, second])).toEqual(['stored 1', 'stored 2']);
  });

  it('a full batch does not wait for the window', async () => {
    const g = gate();
    const sut = new GroupCommit(g.write, { windowMs: 10_000, maxBatch: 3 });
    const answers = [1, 2, 3].map((i) => sut.submit(i));
    await tick();
    expect(g.batches).toEqual([[1, 2, 3]]);
    await g.releaseAll();
    expect(await Promise.all(answers)).toHaveLength(3);
  });

  it('runs up to `concurrency` writes at once', async () => {
    const g = gate();
    const sut = new GroupCommit(g.write, { windowMs: 0, maxBatch: 64, concurrency: 2 });
    const answers = [1, 2, 3, 4].map((i) => sut.submit(i));
    await tick();
    expect(g.batches).toEqual([[1], [2]]);
    for (let k = 0; k < 3; k++) await g.releaseAll();
    expect(g.batches).toEqual([[1], [2], [3, 4]]);
    expect(await Promise.all(answers)).toHaveLength(4);
  });

  it('a failed batch is written again item by item: the bad item fails alone', async () => {
    const seen: number[][] = [];
    const write = (items: number[]) => {
      seen.push(items);
      if (items.includes(13)) return Promise.reject(new Error('no 13'));
      return Promise.resolve(items.map((i) => `stored ${i}`));
    };
    const sut = new GroupCommit(write, { windowMs: 5, maxBatch: 64 });
    const answers = [12, 13, 14].map((i) => sut.submit(i).catch((e: Error) => e.message));
    expect(await Promise.all(answers)).toEqual(['stored 12', 'no 13', 'stored 14']);
    expect(seen).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('a deadlock victim gets one more try; any other failure of a lone item is its answer', async () => {
    let calls = 0;
    const deadlockOnce = (items: number[]) => {
      if (calls++ === 0) return Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
      return Promise.resolve(items.map((i) => `stored ${i}`));
    };
    expect(await new GroupCommit(deadlockOnce, { windowMs: 0, maxBatch: 64 }).submit(7)).toBe('stored 7');
    expect(calls).toBe(2);
    let tries = 0;
    const broken = (): Promise<string[]> => {
      tries++;
      return Promise.reject(Object.assign(new Error('check violation'), { code: '23514' }));
    };
    await expect(new GroupCommit(broken, { windowMs: 0, maxBatch: 64 }).submit(1)).rejects.toThrow('check violation');
    expect(tries).toBe(1);
  });
});
