import type { Ack } from '@parley/contracts';
import { ManualClock } from '@parley/platform';
import { SocketRouter, type ParleySocket } from './socket-router';

/** A socket stand-in: the router only calls onAny and reads data; `send` plays an inbound event with its ack. */
function fakeSocket(tokenExpiresAt = Number.MAX_SAFE_INTEGER) {
  let listener: ((event: string, ...args: unknown[]) => void) | null = null;
  const socket = {
    onAny: (l: typeof listener) => {
      listener = l;
    },
    data: { userId: 'u', tokenExpiresAt },
  } as unknown as ParleySocket;
  const answers: Array<Ack<unknown>> = [];
  const send = (event: string, payload: unknown = {}) => listener!(event, payload, (a: Ack<unknown>) => answers.push(a));
  return { socket, answers, send };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SocketRouter drain (graceful stop)', () => {
  it('answers what it received before the stop, refuses what comes after with SERVER_STOPPING (retryable), and says when it is idle', async () => {
    const sut = new SocketRouter(new ManualClock());
    const pending = deferred<Ack<unknown>>();
    let handled = 0;
    sut.on('chat.post', () => {
      handled += 1;
      return pending.promise;
    });
    const { socket, answers, send } = fakeSocket();
    sut.attach(socket);

    send('chat.post');
    expect(sut.requestsInFlight).toBe(1);
    let idle: boolean | null = null;
    void sut.drain(10_000).then((v) => {
      idle = v;
    });

    send('chat.post');
    expect(handled).toBe(1);
    expect(answers).toEqual([{ ok: false, error: { code: 'SERVER_STOPPING', message: expect.any(String), retryable: true } }]);
    await tick();
    expect(idle).toBeNull();

    pending.resolve({ ok: true, data: { seq: 1 } });
    await tick();
    expect(answers[1]).toEqual({ ok: true, data: { seq: 1 } });
    expect(sut.requestsInFlight).toBe(0);
    expect(idle).toBe(true);
  });

  it('gives up waiting after its bound and says so', async () => {
    jest.useFakeTimers();
    try {
      const sut = new SocketRouter(new ManualClock());
      sut.on('chat.post', () => new Promise(() => undefined));
      const { socket, send } = fakeSocket();
      sut.attach(socket);
      send('chat.post');
      const result = sut.drain(2_000);
      jest.advanceTimersByTime(2_000);
      await expect(result).resolves.toBe(false);
      expect(sut.requestsInFlight).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('is idle at once when nothing is in flight', async () => {
    await expect(new SocketRouter(new ManualClock()).drain(1_000)).resolves.toBe(true);
  });
});

describe('SocketRouter token expiry (by the injected clock)', () => {
  const ok = () => Promise.resolve<Ack<unknown>>({ ok: true, data: 1 });

  it("answers TOKEN_EXPIRED, without calling the route, once the clock reaches the token's expiry", async () => {
    const clock = new ManualClock(1_000_000);
    const sut = new SocketRouter(clock);
    let handled = 0;
    sut.on('chat.post', () => {
      handled += 1;
      return ok();
    });
    const { socket, answers, send } = fakeSocket(1_002_000);
    sut.attach(socket);

    send('chat.post');
    clock.advance(1_999);
    send('chat.post');
    clock.advance(1);
    send('chat.post');
    await tick();
    expect(handled).toBe(2);
    expect(answers).toEqual([
      { ok: true, data: 1 },
      { ok: true, data: 1 },
      { ok: false, error: { code: 'TOKEN_EXPIRED', message: expect.any(String) } },
    ]);
  });

  it('still routes what accepts an expired token (auth.renew), and says UNKNOWN_EVENT before anything else', async () => {
    const clock = new ManualClock(5_000);
    const sut = new SocketRouter(clock);
    sut.on('auth.renew', ok, { acceptsExpiredToken: true });
    const { socket, answers, send } = fakeSocket(4_000);
    sut.attach(socket);
    send('auth.renew');
    send('no.such.event');
    await tick();
    expect(answers).toEqual([
      { ok: true, data: 1 },
      { ok: false, error: { code: 'UNKNOWN_EVENT', message: 'No such event.' } },
    ]);
  });
});

describe('SocketRouter names of the previous release (deprecated)', () => {
  it('answers an old name as its new one, and still refuses a name that never existed', async () => {
    const sut = new SocketRouter(new ManualClock());
    const routed: unknown[] = [];
    sut.on('session.change-status', (_s, payload) => {
      routed.push(payload);
      return Promise.resolve({ ok: true, data: 'changed' });
    });
    const { socket, answers, send } = fakeSocket();
    sut.attach(socket);

    send('session.changeStatus', { status: 'open' });
    send('session.change-status', { status: 'closed' });
    send('session.changestatus', {});
    await tick();
    expect(routed).toEqual([{ status: 'open' }, { status: 'closed' }]);
    expect(answers).toEqual([
      { ok: true, data: 'changed' },
      { ok: true, data: 'changed' },
      { ok: false, error: { code: 'UNKNOWN_EVENT', message: 'No such event.' } },
    ]);
  });
});
