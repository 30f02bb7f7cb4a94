import { Lane, type Job } from './socket-lane';

const tick = () => new Promise((r) => setImmediate(r));

/** A job that records its start and ends when told. */
function job(name: string, started: string[], dropped: string[]) {
  let end!: () => void;
  const done = new Promise<void>((r) => {
    end = r;
  });
  const j: Job = {
    run: () => {
      started.push(name);
      return done;
    },
    drop: () => dropped.push(name),
  };
  return { j, end };
}

describe('Lane (one socket’s requests, at most `width` at a time, in order)', () => {
  it('hands a freed place to the first waiting on the next turn: one arriving meanwhile does not overtake it', async () => {
    const started: string[] = [];
    const sut = new Lane(1, 100);
    const a = job('a', started, []);
    const b = job('b', started, []);
    const c = job('c', started, []);
    sut.run(a.j);
    sut.run(b.j);
    expect(started).toEqual(['a']);
    a.end();
    // a's end is seen, and its place handed on, within these turns of the microtask queue.
    for (let i = 0; i < 3; i++) await Promise.resolve();
    sut.run(c.j);
    expect(started).toEqual(['a']);
    await tick();
    expect(started).toEqual(['a', 'b']);
    b.end();
    await tick();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('drops what still waits when closed, the one handed a place included, and what comes after', async () => {
    const started: string[] = [];
    const dropped: string[] = [];
    const sut = new Lane(1, 100);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => job(n, started, dropped));
    sut.run(a.j);
    sut.run(b.j);
    sut.run(c.j);
    a.end();
    for (let i = 0; i < 3; i++) await Promise.resolve();
    sut.close();
    sut.run(d.j);
    await tick();
    expect(started).toEqual(['a']);
    expect(dropped.sort()).toEqual(['b', 'c', 'd']);
  });

  it('has room while a place is free or fewer than maxWaiting wait', () => {
    const sut = new Lane(1, 2);
    const jobs = ['a', 'b', 'c'].map((n) => job(n, [], []));
    expect(sut.hasRoom).toBe(true);
    sut.run(jobs[0].j);
    expect(sut.hasRoom).toBe(true);
    sut.run(jobs[1].j);
    sut.run(jobs[2].j);
    expect(sut.hasRoom).toBe(false);
  });
});
