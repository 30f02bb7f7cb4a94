import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { isRetryable, type ErrorCode } from '@parley/contracts';
import { ERROR_STATUS, type DependencyName } from '@parley/platform';
import { DependencyIndicators, OUTAGE_CODE } from './dependency.indicators';

/**
 * Liveness and readiness, in terminus' shape `{ status, info, error, details }`. Liveness checks
 * nothing but that the process serves (restart it only when this fails). Readiness checks what a
 * request needs; when something is missing it answers 503 with the terminus body plus the error
 * shape of every other error of the API (`code` of the first missing dependency, `retryable`).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyIndicators,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: 200 while the process serves requests; no dependency is checked.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: 200 when the database answers, Redis (with REDIS_URL) and the SFU (when media is configured) are up; 503 names what is down and since when.',
  })
  ready(@Res() res: Response): Promise<void> {
    return this.answer(res);
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness (the same as /api/health/ready).' })
  check(@Res() res: Response): Promise<void> {
    return this.answer(res);
  }

  private async answer(res: Response): Promise<void> {
    try {
      res.status(200).json(await this.health.check(this.dependencies.checks()));
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      const result = e.getResponse() as HealthCheckResult;
      const missing = Object.keys(result.error ?? {})[0] as DependencyName | undefined;
      const code: ErrorCode = missing ? OUTAGE_CODE[missing] : 'INTERNAL';
      const message = `Not ready: ${Object.keys(result.error ?? {}).join(', ') || 'a check failed'} unavailable.`;
      res
        .status(ERROR_STATUS[code])
        .json({ statusCode: ERROR_STATUS[code], code, message, ...(isRetryable(code) ? { retryable: true } : {}), ...result });
    }
  }
}
