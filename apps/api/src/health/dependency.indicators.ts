import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { ErrorCode } from '@parley/contracts';
import { APP_CONFIG, DependencyMonitor, type AppConfig, type DependencyName } from '@parley/platform';
import { DATABASE_KIND, DatabaseWatch } from '../database.providers';

/** The code a client is given when this dependency is the one missing. */
export const OUTAGE_CODE: Record<DependencyName, ErrorCode> = {
  database: 'DATABASE_UNAVAILABLE',
  redis: 'REDIS_UNAVAILABLE',
  sfu: 'MEDIA_UNAVAILABLE',
};

const SENTENCE: Record<DependencyName, string> = {
  database: 'The database does not answer.',
  redis: 'Redis does not answer: live events reach only the clients of this instance.',
  sfu: 'The media server does not answer.',
};

/**
 * What readiness checks, one terminus indicator per dependency. The database is asked (SELECT 1
 * within a bound, the answer reported to the DependencyMonitor); Redis and the SFU are read from
 * the monitor, which their own clients keep up to date. A result names the dependency, its state
 * and since when; never where it lives, nor the cause (which may name hosts: that is for the log).
 */
@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseWatch,
    private readonly monitor: DependencyMonitor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_KIND) private readonly kind: 'postgres' | 'embedded',
  ) {}

  /** The checks that apply to this deployment: Redis only with REDIS_URL, the SFU only when media is configured. */
  checks(): Array<() => Promise<HealthIndicatorResult> | HealthIndicatorResult> {
    const checks: Array<() => Promise<HealthIndicatorResult> | HealthIndicatorResult> = [() => this.checkDatabase()];
    if (this.config.redisUrl) checks.push(() => this.fromMonitor('redis'));
    if (this.mediaConfigured()) checks.push(() => this.fromMonitor('sfu'));
    return checks;
  }

  async checkDatabase(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    const answer = await this.database.probe();
    if (answer.up) return check.up({ kind: this.kind, latencyMs: Math.round(answer.latencyMs * 10) / 10 });
    return check.down({ kind: this.kind, since: this.since('database'), message: SENTENCE.database });
  }

  private fromMonitor(name: 'redis' | 'sfu'): HealthIndicatorResult {
    const check = this.indicators.check(name);
    if (this.monitor.isDown(name)) return check.down({ since: this.since(name), message: SENTENCE[name] });
    return check.up();
  }

  /** An SFU named by the configuration (JANUS_URL, an explicit JANUS_BINARY), or one that has reported itself. */
  private mediaConfigured(): boolean {
    const binary = this.config.janusBinary;
    return !!this.config.janusUrl || (!!binary && binary !== 'none') || this.monitor.snapshot().sfu !== undefined;
  }

  private since(name: DependencyName): string | null {
    return this.monitor.snapshot()[name]?.since ?? null;
  }
}
