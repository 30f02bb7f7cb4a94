import type { Ack } from '@parley/contracts';
import { Clock, ManualClock, RateLimits, loadConfig } from '@parley/platform';
import { FLOOD_PENALTY_MS, SocketRouter, type ParleySocket } from './socket-router';

/**
 * The router as the app builds it, on `clock`, with the default budgets unless `env` says otherwise
 * — but no lanes (every request starts at once) unless a test is about them.
 */
function routerOn(clock: Clock = new ManualClock(), env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', SOCKET_CONCURRENT_REQUESTS: '1000', ...env });
  return new SocketRouter(clock, config, new RateLimits(config));
}

/**
 * A socket stand-in: the router calls onAny, once('disconnect') and disconnect, and reads data;
 * `send` plays an inbound event with its ack.
 */
function fakeSocket(tokenExpiresAt = Number.MAX_SAFE_INTEGER, userId = 'u') {
  let listener: ((event: string, ...args: unknown[]) => void) | null = null;
  const onDisconnect: Array<() => void> = [];
  const socket = {
    id: `socket-${Math.random()}`,
    connected: true,
    onAny: (l: typeof listener) => {
      listener = l;
    },
    once: (event: string, l: () => void) => {
      if (event === 'disconnect') onDisconnect.push(l);
    },
    disconnect: () => {
      if (!socket.connected) return;
      socket.connected = false;
      onDisconnect.forEach((l) => l());
    },
    data: { userId, tokenExpiresAt },
  };
  // In the order sent (a refusal is answered at once, a routed event a turn later).
  const answers: Array<Ack<unknown>> = [];
  let sent = 0;
  const send = (event: string, payload: unknown = {}) => {
    if (!socket.connected) return; // a closed socket hears nothing more
    const i = sent++;
    listener!(event, payload, (a: Ack<unknown>) => {
      answers[i] = a;
    });
  };
  const reset = () => {
    answers.length = 0;
    sent = 0;
  };
  return { socket: socket as unknown as ParleySocket, answers, send, reset, connected: () => socket.connected };
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
    const sut = routerOn();
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
    expect(answers[1]).toEqual({ ok: false, error: { code: 'SERVER_STOPPING', message: expect.any(String), retryable: true } });
    await tick();
    expect(handled).toBe(1);
    expect(answers[0]).toBeUndefined();
    expect(idle).toBeNull();

    pending.resolve({ ok: true, data: { seq: 1 } });
    await tick();
    expect(answers[0]).toEqual({ ok: true, data: { seq: 1 } });
    expect(sut.requestsInFlight).toBe(0);
    expect(idle).toBe(true);
  });

  it('gives up waiting after its bound and says so', async () => {
    jest.useFakeTimers();
    try {
      const sut = routerOn();
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
    await expect(routerOn().drain(1_000)).resolves.toBe(true);
  });
});

describe('SocketRouter token expiry (by the injected clock)', () => {
  const ok = () => Promise.resolve<Ack<unknown>>({ ok: true, data: 1 });

  it("answers TOKEN_EXPIRED, without calling the route, once the clock reaches the token's expiry", async () => {
    const clock = new ManualClock(1_000_000);
    const sut = routerOn(clock);
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
    const sut = routerOn(clock);
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
    const sut = routerOn();
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

describe('SocketRouter budgets (by the injected clock)', () => {
  const ok = () => Promise.resolve<Ack<unknown>>({ ok: true, data: 1 });
  const codes = (answers: Array<Ack<unknown>>) => answers.map((a) => (a.ok ? 'ok' : a.error.code));

  it('answers a burst, then refuses RATE_LIMITED with a retry-after without calling the route, and refills at its rate', async () => {
    const clock = new ManualClock(1_000_000);
    const sut = routerOn(clock, { SOCKET_BUDGET_BURST: '5', SOCKET_BUDGET_PER_SECOND: '2' });
    let handled = 0;
    sut.on('agreement.get', () => {
      handled += 1;
      return ok();
    });
    const { socket, answers, send, reset } = fakeSocket();
    sut.attach(socket);

    for (let i = 0; i < 8; i++) send('agreement.get');
    await tick();
    expect(codes(answers)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(handled).toBe(5);
    expect(answers[5]).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterSeconds: 1 } },
    });

    // Two points a second: one after 499 ms is not there yet, one after 500 ms is.
    clock.advance(499);
    send('agreement.get');
    clock.advance(1);
    send('agreement.get');
    send('agreement.get');
    await tick();
    expect(codes(answers.slice(8))).toEqual(['RATE_LIMITED', 'ok', 'RATE_LIMITED']);
    expect(handled).toBe(6);

    // A long pause refills to the burst, never past it.
    clock.advance(60_000);
    reset();
    for (let i = 0; i < 6; i++) send('agreement.get');
    await tick();
    expect(codes(answers)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
  });

  it('never refuses auth.renew, even to a socket that spent its budget, and counts unknown events', async () => {
    const clock = new ManualClock(0);
    const sut = routerOn(clock, { SOCKET_BUDGET_BURST: '2', SOCKET_BUDGET_PER_SECOND: '1' });
    sut.on('auth.renew', ok, { acceptsExpiredToken: true });
    sut.on('presence.get', ok);
    const { socket, answers, send } = fakeSocket();
    sut.attach(socket);
    send('no.such.event');
    send('presence.get');
    send('presence.get');
    for (let i = 0; i < 3; i++) send('auth.renew');
    await tick();
    expect(codes(answers)).toEqual(['UNKNOWN_EVENT', 'ok', 'RATE_LIMITED', 'ok', 'ok', 'ok']);
  });

  it("keeps each socket's budget its own, and an account's sockets share the account's", async () => {
    const sut = routerOn(new ManualClock(0), {
      SOCKET_BUDGET_BURST: '3',
      SOCKET_BUDGET_PER_SECOND: '1',
      SOCKET_BUDGET_ACCOUNT_PER_MINUTE: '5',
    });
    sut.on('presence.get', ok);
    const first = fakeSocket(undefined, 'account-1');
    const second = fakeSocket(undefined, 'account-1');
    const other = fakeSocket(undefined, 'account-2');
    for (const s of [first, second, other]) sut.attach(s.socket);
    for (let i = 0; i < 4; i++) first.send('presence.get');
    await tick();
    for (let i = 0; i < 3; i++) second.send('presence.get');
    for (let i = 0; i < 3; i++) other.send('presence.get');
    await tick();
    await tick();
    expect(codes(first.answers)).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    // The account had 5: the second socket's own budget lets 3 through, the account's only 2.
    expect(codes(second.answers)).toEqual(['ok', 'ok', 'RATE_LIMITED']);
    expect(second.answers[2]).toMatchObject({ ok: false, error: { details: { retryAfterSeconds: expect.any(Number) } } });
    expect(codes(other.answers)).toEqual(['ok', 'ok', 'ok']);
  });

  it('disconnects a socket refused SOCKET_FLOOD_REFUSALS times without a pause, not one that pauses, and keeps its account out a while', async () => {
    const clock = new ManualClock(0);
    const sut = routerOn(clock, { SOCKET_BUDGET_BURST: '1', SOCKET_BUDGET_PER_SECOND: '1', SOCKET_FLOOD_REFUSALS: '20' });
    sut.on('chat.post', ok);
    const flooder = fakeSocket(undefined, 'flooder');
    const patient = fakeSocket(undefined, 'patient');
    sut.attach(flooder.socket);
    sut.attach(patient.socket);
    // The flooder sends 10 a second. The patient one sends 10 at once every 6 s: 9 refusals a
    // time, and a pause of more than FLOOD_PAUSE_MS between them.
    for (let t = 0; t <= 30_000; t += 100) {
      if (t > 0) clock.advance(100);
      if (t < 3_000) flooder.send('chat.post');
      if (t % 6_000 === 0) for (let i = 0; i < 10; i++) patient.send('chat.post');
      // 1 answered at once, then about 1 in 10: the 20th refusal comes at about 2.2 s.
      if (t === 2_000) expect(flooder.connected()).toBe(true);
    }
    await tick();
    expect(flooder.connected()).toBe(false);
    expect(codes(flooder.answers).filter((c) => c === 'RATE_LIMITED')).toHaveLength(20);
    expect(patient.connected()).toBe(true);
    expect(codes(patient.answers).filter((c) => c === 'RATE_LIMITED')).toHaveLength(6 * 9);

    // The flooder's account opens no socket for FLOOD_PENALTY_MS after its disconnect; others do.
    expect(() => sut.assertMayConnect('flooder')).not.toThrow(); // 27.8 s after it: long over
    const again = fakeSocket(undefined, 'flooder');
    sut.attach(again.socket);
    for (let i = 0; i < 21; i++) again.send('chat.post');
    expect(again.connected()).toBe(false);
    clock.advance(FLOOD_PENALTY_MS - 1);
    expect(() => sut.assertMayConnect('flooder')).toThrow(
      expect.objectContaining({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } }),
    );
    expect(() => sut.assertMayConnect('patient')).not.toThrow();
    clock.advance(1);
    expect(() => sut.assertMayConnect('flooder')).not.toThrow();
  });

  it('refuses a socket past the account quota with QUOTA_EXCEEDED, and counts a closed one out', () => {
    const sut = routerOn(new ManualClock(), { QUOTA_SOCKETS_PER_ACCOUNT: '2' });
    const sockets = [fakeSocket(undefined, 'a'), fakeSocket(undefined, 'a')];
    sut.assertMayConnect('a');
    sut.attach(sockets[0].socket);
    sut.assertMayConnect('a');
    sut.attach(sockets[1].socket);
    let refusal: unknown;
    try {
      sut.assertMayConnect('a');
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'socketsPerAccount', limit: 2 } });
    expect(() => sut.assertMayConnect('b')).not.toThrow();
    sockets[0].socket.disconnect();
    expect(() => sut.assertMayConnect('a')).not.toThrow();
  });
});

describe("SocketRouter lanes (a socket's requests at most SOCKET_CONCURRENT_REQUESTS at a time)", () => {
  it('runs the next in order once one is answered, and drops those still waiting when the socket closes', async () => {
    const sut = routerOn(new ManualClock(), { SOCKET_CONCURRENT_REQUESTS: '2' });
    const pending: Array<ReturnType<typeof deferred<Ack<unknown>>>> = [];
    const routed: unknown[] = [];
    sut.on('chat.post', (_s, payload) => {
      routed.push(payload);
      const d = deferred<Ack<unknown>>();
      pending.push(d);
      return d.promise;
    });
    const { socket, answers, send } = fakeSocket();
    sut.attach(socket);
    for (let i = 1; i <= 5; i++) send('chat.post', { n: i });
    await tick();
    expect(routed).toEqual([{ n: 1 }, { n: 2 }]);
    expect(sut.requestsInFlight).toBe(5);

    pending[0].resolve({ ok: true, data: 1 });
    await tick();
    await tick();
    expect(routed).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(answers[0]).toEqual({ ok: true, data: 1 });

    socket.disconnect();
    expect(sut.requestsInFlight).toBe(2);
    pending[1].resolve({ ok: true, data: 2 });
    pending[2].resolve({ ok: true, data: 3 });
    await tick();
    await tick();
    expect(routed).toHaveLength(3);
    expect(sut.requestsInFlight).toBe(0);
  });

  it('refuses, without spending the budget, what comes while SOCKET_WAITING_REQUESTS already wait, and counts it towards a flood', async () => {
    const sut = routerOn(new ManualClock(), {
      SOCKET_CONCURRENT_REQUESTS: '1',
      SOCKET_WAITING_REQUESTS: '2',
      SOCKET_BUDGET_BURST: '4',
      SOCKET_FLOOD_REFUSALS: '3',
    });
    const pending: Array<ReturnType<typeof deferred<Ack<unknown>>>> = [];
    sut.on('chat.post', () => {
      const d = deferred<Ack<unknown>>();
      pending.push(d);
      return d.promise;
    });
    const { socket, answers, send, connected } = fakeSocket();
    sut.attach(socket);
    for (let i = 0; i < 5; i++) send('chat.post');
    await tick();
    expect(pending).toHaveLength(1);
    expect(answers.slice(3)).toEqual([
      { ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterSeconds: 1 } } },
      { ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterSeconds: 1 } } },
    ]);

    // Three were accepted: the fourth point is still there once one has been answered.
    pending[0].resolve({ ok: true, data: 1 });
    await tick();
    await tick();
    send('chat.post');
    expect(answers[5]).toBeUndefined();
    expect(connected()).toBe(true);
    send('chat.post'); // the third refusal: waiting full again
    expect(connected()).toBe(false);
  });
});
