import type { Ack } from '@parley/contracts';
import { SocketRouter, type ParleySocket } from './socket-router';

/** A socket stand-in: the router only calls onAny; `send` plays an inbound event with its ack. */
function fakeSocket() {
  let listener: ((event: string, ...args: unknown[]) => void) | null = null;
  const socket = { onAny: (l: typeof listener) => { listener = l; } } as unknown as ParleySocket;
  const answers: Array<Ack<unknown>> = [];
  const send = (event: string, payload: unknown = {}) => listener!(event, payload, (a: Ack<unknown>) => answers.push(a));
  return { socket, answers, send };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SocketRouter drain (graceful stop)', () => {
  it('answers what it received before the stop, refuses what comes after with SERVER_STOPPING (retryable), and says when it is idle', async () => {
    const sut = new SocketRouter();
    const pending = deferred<Ack<unknown>>();
    let handled = 0;
    sut.on('chat.post', () => { handled += 1; return pending.promise; });
    const { socket, answers, send } = fakeSocket();
    sut.attach(socket);

    send('chat.post');
    expect(sut.requestsInFlight).toBe(1);
    let idle: boolean | null = null;
    void sut.drain(10_000).then((v) => { idle = v; });

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
      const sut = new SocketRouter();
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
    await expect(new SocketRouter().drain(1_000)).resolves.toBe(true);
  });
});
