import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainError } from '@parley/platform';
import { DATABASE_KIND } from '../database.providers';

/** Liveness and readiness in one: 200 only when the database answers. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource, @Inject(DATABASE_KIND) private readonly kind: 'postgres' | 'embedded') {}

  @Get()
  async check() {
    const started = process.hrtime.bigint();
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
    } catch {
      throw new DomainError('DATABASE_UNAVAILABLE', 'The database does not answer.');
    }
    return {
      status: 'ok',
      database: { status: 'up', kind: this.kind, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 },
      uptimeSeconds: Math.round(process.uptime()),
    };
  }
}
