import type { Redis } from 'ioredis';
import { guardPublish, reconnectDelay, REDIS_LINK, withDeadline } from './redis-fanout';

describe('Redis fan-out helpers', () => {
  it('reconnects with a backoff that grows and stays bounded', () => {
    const delays = [1, 2, 3, 4, 5, 10, 100, 10_000].map(reconnectDelay);
    expect(delays.slice(0, 4)).toEqual([100, 200, 400, 800]);
    expect(Math.max(...delays)).toBe(REDIS_LINK.reconnectCeilingMs);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
  });

  it('a publish that fails is reported, and its promise is handled (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (r: unknown) => unhandled.push(r);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = { publish: () => Promise.reject(new Error('Connection is closed.')) } as unknown as Redis;
      const reported: string[] = [];
      guardPublish(client, (e) => reported.push(e.message));
      // As the adapter does it: the promise is dropped.
      void client.publish('parley#/#', 'x');
      const answer = await client.publish('parley#/#', 'y');
      await new Promise((r) => setImmediate(r));
      expect(reported).toEqual(['Connection is closed.', 'Connection is closed.']);
      expect(answer).toBeNull();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a publish that throws synchronously is reported too', async () => {
    const client = {
      publish: () => {
        throw new Error("Stream isn't writeable");
      },
    } as unknown as Redis;
    const reported: string[] = [];
    guardPublish(client, (e) => reported.push(e.message));
    await expect(client.publish('c', 'm')).resolves.toBeNull();
    expect(reported).toEqual(["Stream isn't writeable"]);
  });

  it('a command that never answers fails after its deadline; one that answers in time passes through', async () => {
    jest.useFakeTimers();
    try {
      const late = withDeadline(new Promise(() => undefined), 1_000, 'PING');
      const caught = late.catch((e: Error) => e.message);
      jest.advanceTimersByTime(1_000);
      await expect(caught).resolves.toBe('Redis did not answer PING within 1000 ms');
      const quick = withDeadline(Promise.resolve('PONG'), 1_000, 'PING');
      await expect(quick).resolves.toBe('PONG');
    } finally {
      jest.useRealTimers();
    }
  });
});
