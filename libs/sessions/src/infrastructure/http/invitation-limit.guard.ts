import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, RateLimits, clientAddress, type AppConfig, type Limiter } from '@parley/platform';

/**
 * Invitation previews and accepts, per client address (RATE_LIMIT_INVITATION_ADDRESS) and per
 * invitation link (RATE_LIMIT_INVITATION_TOKEN): probing links, or hammering one, is refused
 * RATE_LIMITED. Every request counts, whether the link works or not.
 */
@Injectable()
export class InvitationLimitGuard implements CanActivate {
  private readonly byAddress: Limiter;
  private readonly byToken: Limiter;

  constructor(
    private readonly limits: RateLimits,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const r = config.rateLimits;
    this.byAddress = limits.limiter('invitation-address', {
      points: r.invitationAddress.points,
      durationSeconds: r.invitationAddress.seconds,
    });
    this.byToken = limits.limiter('invitation-token', { points: r.invitationToken.points, durationSeconds: r.invitationToken.seconds });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request<{ token?: string }>>();
    await this.limits.consume(this.byAddress, clientAddress(req));
    // The raw parameter, bounded: the route's pipe validates it after the guards.
    await this.limits.consume(this.byToken, String(req.params.token ?? '').slice(0, 128));
    return true;
  }
}
