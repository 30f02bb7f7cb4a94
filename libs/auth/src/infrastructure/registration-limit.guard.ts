import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, RateLimits, clientAddress, type AppConfig, type Limiter } from '@parley/platform';

/** Registrations per client address (RATE_LIMIT_REGISTER_ADDRESS): a flood of new accounts is refused RATE_LIMITED. */
@Injectable()
export class RegistrationLimitGuard implements CanActivate {
  private readonly byAddress: Limiter;

  constructor(
    private readonly limits: RateLimits,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const { points, seconds } = config.rateLimits.registerAddress;
    this.byAddress = limits.limiter('register-address', { points, durationSeconds: seconds });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.limits.consume(this.byAddress, clientAddress(context.switchToHttp().getRequest<Request>()));
    return true;
  }
}
