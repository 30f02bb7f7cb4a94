import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';

/** How many points a key may spend in a window, and how long it is refused once it has spent them. */
export interface LimitSpec {
  points: number;
  durationSeconds: number;
  /** Refused this long after the points are spent (default: until the window ends). */
  blockSeconds?: number;
}

/** A named limiter: RateLimiterRedis (shared by every instance) or RateLimiterMemory (this process). */
export type Limiter = RateLimiterAbstract;

/** A Redis command unanswered this long goes to the in-memory insurance limiter instead. */
const REDIS_ANSWER_WITHIN_MS = 1_000;

/** Retry-after, in whole seconds (at least 1), of a refusal the limiter answered. */
export const retryAfterSeconds = (msBeforeNext: number): number => Math.max(1, Math.ceil(msBeforeNext / 1000));

/** The refusal every limit answers: RATE_LIMITED, with when to try again. */
export function rateLimited(msBeforeNext: number): DomainError {
  const seconds = retryAfterSeconds(msBeforeNext);
  return new DomainError('RATE_LIMITED', `Too many attempts: try again in ${seconds} s.`, undefined, { retryAfterSeconds: seconds });
}

/**
 * Makes the platform's rate limiters (rate-limiter-flexible). With REDIS_URL set, counters live in
 * Redis (keys `parley:rl:<name>:<key>`) so a limit holds across API instances; each Redis limiter
 * has an in-memory insurance limiter with the same numbers, so a Redis outage degrades to limits
 * per instance instead of failing requests (the outage itself is reported by the Socket.IO
 * adapter's probe, which watches the same Redis). Without REDIS_URL, counters are this process's.
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly limiters = new Map<string, Limiter>();
  private redis: Redis | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether counters are shared through Redis (else they are this instance's own). */
  get shared(): boolean {
    return this.config.redisUrl !== null;
  }

  /**
   * The limiter called `name` (made once; a second call with the same name returns the first).
   * `points` are spent per `durationSeconds` window and per key; spent, the key is refused for
   * `blockSeconds` (default: the rest of the window).
   */
  limiter(name: string, spec: LimitSpec): Limiter {
    const existing = this.limiters.get(name);
    if (existing) return existing;
    const options = {
      keyPrefix: `parley:rl:${name}`,
      points: spec.points,
      duration: spec.durationSeconds,
      ...(spec.blockSeconds ? { blockDuration: spec.blockSeconds } : {}),
    };
    const client = this.client();
    const made: Limiter = client
      ? new RateLimiterRedis({
          ...options,
          storeClient: client,
          // A Redis that is away answers from memory at once rather than after a timeout.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
    this.limiters.set(name, made);
    return made;
  }

  /**
   * Spends `points` of `key` on `limiter`; throws RATE_LIMITED with `details.retryAfterSeconds`
   * when they are not there. Resolves with what is left.
   */
  async consume(limiter: Limiter, key: string, points = 1): Promise<RateLimiterRes> {
    try {
      return await limiter.consume(key, points);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(e.msBeforeNext);
      throw e;
    }
  }

  /**
   * Refuses with RATE_LIMITED when `key` has spent its points (or is blocked) on `limiter`,
   * without spending any: for limits that count failures, checked before the attempt.
   */
  async check(limiter: Limiter, key: string): Promise<void> {
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= limiter.points && res.msBeforeNext > 0) throw rateLimited(res.msBeforeNext);
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.redis;
    this.redis = null;
    if (client) await client.quit().catch(() => client.disconnect());
  }

  /** The limiters' own Redis connection, opened with the first limiter (none without REDIS_URL). */
  private client(): Redis | null {
    if (!this.config.redisUrl) return null;
    if (this.redis) return this.redis;
    const client = new Redis(this.config.redisUrl, {
      // Nothing queues while Redis is away: the insurance limiter answers instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_ANSWER_WITHIN_MS,
      connectTimeout: 2_000,
      retryStrategy: (attempt: number) => Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000),
    });
    let reported = false;
    // Without an `error` listener ioredis would end the process on an outage; the outage is
    // logged by the fan-out's probe, this only notes that limits are now per instance.
    client.on('error', () => {
      if (reported) return;
      reported = true;
      Logger.warn('Redis unreachable: rate limits are counted per instance until it is back', 'RateLimits');
    });
    client.on('ready', () => {
      if (reported) Logger.log('Redis back: rate limits are shared across instances again', 'RateLimits');
      reported = false;
    });
    this.redis = client;
    return client;
  }
}

/**
 * The client's address as Express sees it: the connection's, or with TRUST_PROXY the one the
 * trusted proxies put in X-Forwarded-For. A request without one (its socket already gone) shares a key.
 */
export const clientAddress = (req: { ip?: string }): string => req.ip ?? 'unknown';
