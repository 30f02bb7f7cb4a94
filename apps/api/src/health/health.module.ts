import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyIndicators } from './dependency.indicators';
import { HealthController } from './health.controller';

/**
 * /api/health/live and /api/health/ready (and /api/health, the same as ready). Terminus' own
 * logger is off: a failing readiness probe must not log on every poll; the DependencyMonitor logs
 * each outage once.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DependencyIndicators],
})
export class HealthModule {}
