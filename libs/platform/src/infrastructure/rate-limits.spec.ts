import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { ConfigError, loadConfig } from '../config/app-config';
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

  describe('their configuration', () => {
    it('reads each limit as <points>/<seconds>, with defaults', () => {
      const sut = config({ RATE_LIMIT_SIGN_IN_ACCOUNT: '5/30', SIGN_IN_BLOCK_SECONDS: '2' }).rateLimits;
      expect(sut).toMatchObject({
        signInAccount: { points: 5, seconds: 30 },
        signInAddress: { points: 100, seconds: 3600 },
        signInBlockSeconds: 2,
        signInBlockMaxSeconds: 3600,
        registerAddress: { points: 20, seconds: 3600 },
      });
    });

    it.each(['5', '0/60', '5/0', 'ten/60', '5/60/1', '2000000/60'])('refuses RATE_LIMIT_REGISTER_ADDRESS=%s', (raw) => {
      expect(() => config({ RATE_LIMIT_REGISTER_ADDRESS: raw })).toThrow(ConfigError);
    });

    it('reads TRUST_PROXY as Express does, off by default', () => {
      const trust = (raw?: string) => config(raw === undefined ? {} : { TRUST_PROXY: raw }).trustProxy;
      expect([trust(), trust('false'), trust('true'), trust('2'), trust('loopback, 10.0.0.0/8')]).toEqual([
        false,
        false,
        true,
        2,
        'loopback, 10.0.0.0/8',
      ]);
      expect(() => trust('anyone; rm')).toThrow(ConfigError);
    });
  });
});
