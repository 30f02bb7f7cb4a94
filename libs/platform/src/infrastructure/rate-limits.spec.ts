import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { loadConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { RateLimits, retryAfterSeconds } from './rate-limits';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', ...env });

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('RateLimits', () => {
  describe('without REDIS_URL', () => {
    const sut = new RateLimits(config());

    it('makes in-memory limiters, one per name', () => {
      const a = sut.limiter('spec-a', { points: 2, durationSeconds: 60 });
      expect(a).toBeInstanceOf(RateLimiterMemory);
      expect(sut.limiter('spec-a', { points: 5, durationSeconds: 1 })).toBe(a);
      expect(a.keyPrefix).toBe('parley:rl:spec-a');
    });

    it('refuses the point past the limit with RATE_LIMITED and a retry-after, per key', async () => {
      const limiter = sut.limiter('spec-b', { points: 3, durationSeconds: 60, blockSeconds: 120 });
      for (let i = 0; i < 3; i++) await sut.consume(limiter, 'k1');
      const e = await refusal(sut.consume(limiter, 'k1'));
      expect(e.code).toBe('RATE_LIMITED');
      expect(e.details?.retryAfterSeconds).toBeGreaterThan(60);
      expect(e.details?.retryAfterSeconds).toBeLessThanOrEqual(120);
      await expect(sut.consume(limiter, 'k2')).resolves.toMatchObject({ remainingPoints: 2 });
    });

    it('check refuses a spent key without spending, and passes an unspent one', async () => {
      const limiter = sut.limiter('spec-c', { points: 2, durationSeconds: 60 });
      await sut.check(limiter, 'k');
      await sut.consume(limiter, 'k');
      await sut.check(limiter, 'k');
      await expect(limiter.get('k')).resolves.toMatchObject({ consumedPoints: 1 });
      await sut.consume(limiter, 'k');
      expect((await refusal(sut.check(limiter, 'k'))).code).toBe('RATE_LIMITED');
    });
  });

  describe('with a Redis that cannot be reached', () => {
    const sut = new RateLimits(config({ REDIS_URL: 'redis://127.0.0.1:1' }));
    afterAll(() => sut.onModuleDestroy());

    it('makes Redis limiters that answer from the in-memory insurance limiter instead of failing', async () => {
      const limiter = sut.limiter('spec-d', { points: 2, durationSeconds: 60 });
      expect(limiter).toBeInstanceOf(RateLimiterRedis);
      await sut.consume(limiter, 'k');
      await sut.consume(limiter, 'k');
      expect((await refusal(sut.consume(limiter, 'k'))).code).toBe('RATE_LIMITED');
    });
  });

  it('rounds retry-after up to whole seconds, at least one', () => {
    expect([0, 1, 999, 1000, 1001].map(retryAfterSeconds)).toEqual([1, 1, 1, 1, 2]);
  });
});
