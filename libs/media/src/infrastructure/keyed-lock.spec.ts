import { KeyedLock } from './keyed-lock';

/** A promise settled from outside, to order steps by hand. */
function gate<T = void>() {
  let open!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { promise, open, fail };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('KeyedLock', () => {
  it('runs the calls of one key one after the other, in the order they came', async () => {
    const sut = new KeyedLock();
    const log: string[] = [];
    const first = gate();
    const a = sut.run('seat:1', async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    const b = sut.run('seat:1', () => {
      log.push('b runs');
      return Promise.resolve('b');
    });
    await settle();
    expect(log).toEqual(['a starts']);
    first.open();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('runs calls of different keys at the same time', async () => {
    const sut = new KeyedLock();
    const held = gate();
    const log: string[] = [];
    const a = sut.run('room:1', async () => {
      await held.promise;
      log.push('room:1');
    });
    await sut.run('room:2', () => {
      log.push('room:2');
      return Promise.resolve();
    });
    expect(log).toEqual(['room:2']);
    held.open();
    await a;
    expect(log).toEqual(['room:2', 'room:1']);
  });

  it('a call that fails rejects its caller only, and the next call of the key still runs', async () => {
    const sut = new KeyedLock();
    const failing = sut.run('seat:1', () => Promise.reject(new Error('refused')));
    const next = sut.run('seat:1', () => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
  });

  it('forgets a key once nothing waits on it', async () => {
    const sut = new KeyedLock();
    const held = gate();
    const a = sut.run('seat:1', () => held.promise);
    const b = sut.run('seat:2', () => Promise.resolve());
    await b;
    await settle();
    expect(sut.size).toBe(1);
    held.open();
    await a;
    await settle();
    expect(sut.size).toBe(0);
  });
});
