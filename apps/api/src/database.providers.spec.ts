import { DatabaseConnectivity, DependencyMonitor, type DatabaseHandle } from '@parley/platform';
import type { DataSource } from 'typeorm';
import { DatabaseWatch } from './database.providers';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });

describe('DatabaseWatch', () => {
  const build = () => {
    const lines: string[] = [];
    const monitor = new DependencyMonitor(Date.now, {
      warn: (m: string) => lines.push(`warn ${m}`),
      log: (m: string) => lines.push(`log ${m}`),
    });
    const connectivity = new DatabaseConnectivity();
    let answer: () => Promise<unknown> = () => Promise.resolve([{ '?column?': 1 }]);
    const query = jest.fn(() => answer());
    const handle = {
      dataSource: { query } as unknown as DataSource,
      kind: 'postgres',
      connectivity,
      close: () => Promise.resolve(),
    } as DatabaseHandle;
    const sut = new DatabaseWatch(handle, monitor, 2000);
    sut.onModuleInit();
    return {
      sut,
      monitor,
      connectivity,
      query,
      lines,
      answerWith: (f: () => Promise<unknown>) => {
        answer = f;
      },
    };
  };

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('takes what the pool sees to the monitor, and asks SELECT 1 every 2 s only while the database is down', async () => {
    const { sut, monitor, connectivity, query, lines, answerWith } = build();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(query).not.toHaveBeenCalled(); // up: nothing polls

    answerWith(() => Promise.reject(refused()));
    connectivity.failed(refused());
    expect(monitor.isDown('database')).toBe(true);
    await jest.advanceTimersByTimeAsync(6_000);
    expect(query).toHaveBeenCalledTimes(3);

    answerWith(() => Promise.resolve([]));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(monitor.isDown('database')).toBe(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(query).toHaveBeenCalledTimes(4); // stopped once it answered
    expect(lines).toEqual([
      'warn database unavailable: connect ECONNREFUSED 127.0.0.1:5999',
      expect.stringMatching(/^warn database back after 8\.0 s/),
    ]);
    sut.beforeApplicationShutdown();
  });

  it('a probe gives up after 2 s without an answer and reports the database down', async () => {
    const { sut, monitor, answerWith } = build();
    answerWith(() => new Promise(() => undefined));
    const probing = sut.probe();
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(probing).resolves.toEqual({ up: false, cause: 'no answer to SELECT 1 within 2000 ms' });
    expect(monitor.isDown('database')).toBe(true);
    sut.beforeApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });
});
