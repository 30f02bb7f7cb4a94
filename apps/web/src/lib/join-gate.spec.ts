import { JoinGate } from './join-gate';

describe('JoinGate', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  const settled = async (p: Promise<unknown>) => {
    let state = 'pending';
    p.then(
      () => {
        state = 'resolved';
      },
      (e: Error) => {
        state = `rejected: ${e.message}`;
      },
    );
    await Promise.resolve();
    await Promise.resolve();
    return state;
  };

  it('holds a request until the socket has joined, then lets it through', async () => {
    const sut = new JoinGate(() => new Error('too late'));
    const waiting = sut.wait();
    expect(await settled(waiting)).toBe('pending');
    sut.open();
    expect(await settled(waiting)).toBe('resolved');
    expect(await settled(sut.wait())).toBe('resolved');
  });

  it('holds requests again once the socket dropped, until the next join', async () => {
    const sut = new JoinGate(() => new Error('too late'));
    sut.open();
    sut.close();
    const waiting = sut.wait();
    jest.advanceTimersByTime(5000);
    expect(await settled(waiting)).toBe('pending');
    sut.open();
    expect(await settled(waiting)).toBe('resolved');
  });

  it('gives up after its bound, with the failure it was given', async () => {
    const sut = new JoinGate(() => new Error('no join within the time allowed'), 1000);
    const waiting = sut.wait();
    jest.advanceTimersByTime(999);
    expect(await settled(waiting)).toBe('pending');
    jest.advanceTimersByTime(1);
    expect(await settled(waiting)).toBe('rejected: no join within the time allowed');
  });

  it('ends every wait at once when aborted (another device took the session over)', async () => {
    const sut = new JoinGate(() => new Error('too late'));
    const a = sut.wait();
    const b = sut.wait(50);
    sut.abort(new Error('open on another device'));
    expect([await settled(a), await settled(b)]).toEqual(['rejected: open on another device', 'rejected: open on another device']);
    expect(sut.isOpen).toBe(false);
  });
});
