import { HealthIndicatorService } from '@nestjs/terminus';
import { DependencyMonitor, loadConfig } from '@parley/platform';
import type { DatabaseWatch } from '../database.providers';
import { DependencyIndicators } from './dependency.indicators';

describe('DependencyIndicators (readiness)', () => {
  const build = (env: Record<string, string>, database: Awaited<ReturnType<DatabaseWatch['probe']>> = { up: true, latencyMs: 1.23 }) => {
    const monitor = new DependencyMonitor(() => Date.parse('2026-12-01T10:00:00Z'), { warn: () => undefined, log: () => undefined });
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', JWT_SECRET: 'unit-secret-unit-secret-unit-secret-unit', ...env });
    const watch = { probe: () => Promise.resolve(database) } as unknown as DatabaseWatch;
    return { monitor, sut: new DependencyIndicators(new HealthIndicatorService(), watch, monitor, config, 'postgres') };
  };
  const run = async (sut: DependencyIndicators) => Object.assign({}, ...(await Promise.all(sut.checks().map((c) => Promise.resolve(c())))));

  it('checks only the database when neither Redis nor media is configured', async () => {
    const { sut } = build({ JANUS_BINARY: 'none' });
    expect(await run(sut)).toEqual({ database: { status: 'up', kind: 'postgres', latencyMs: 1.2 } });
  });

  it('adds Redis with REDIS_URL and the SFU when one is configured, down with since when, never where', async () => {
    const { sut, monitor } = build({
      REDIS_URL: 'redis://:secret@cache.internal:6379',
      JANUS_URL: 'ws://sfu.internal:8188',
      JANUS_ADMIN_KEY: 'k',
    });
    monitor.down('redis', 'connect ECONNREFUSED cache.internal:6379');
    const result = await run(sut);
    expect(result).toEqual({
      database: { status: 'up', kind: 'postgres', latencyMs: 1.2 },
      redis: { status: 'down', since: '2026-12-01T10:00:00.000Z', message: expect.any(String) },
      sfu: { status: 'up' },
    });
    expect(JSON.stringify(result)).not.toMatch(/internal|secret|6379|8188/);
  });

  it('a database that does not answer is down since the monitor first saw it', async () => {
    const { sut, monitor } = build({ JANUS_BINARY: 'none' }, { up: false, cause: 'ECONNREFUSED' });
    monitor.down('database', 'ECONNREFUSED');
    expect(await run(sut)).toEqual({
      database: { status: 'down', kind: 'postgres', since: '2026-12-01T10:00:00.000Z', message: 'The database does not answer.' },
    });
  });
});
