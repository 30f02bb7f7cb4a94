import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { RESPONDENT_CODE_HEADER } from '@parley/contracts';
import { APP_CONFIG, RateLimits, clientAddress, type AppConfig, type Limiter } from '@parley/platform';
import { codeHash, normaliseCode } from '../../domain/consultation';

/** The budget a route spends besides the request itself: a new respondent of a link, or a statement of a respondent. */
export type RespondentBudgetKind = 'start' | 'statement';

const RESPONDENT_BUDGET = 'parley:respondent-budget';
/** On the route that starts a respondent ('start') or takes a statement ('statement'): RespondentLimitGuard also counts that. */
export const RespondentBudget = (kind: RespondentBudgetKind): MethodDecorator => SetMetadata(RESPONDENT_BUDGET, kind);

/**
 * The respondent page's limits, checked before anything is read: every request per client address
 * (RATE_LIMIT_CONSULTATION_ADDRESS), new respondents per link (RATE_LIMIT_CONSULTATION_LINK), a
 * respondent's requests per return code (RATE_LIMIT_CONSULTATION_RESPONDENT) and their statements
 * (RATE_LIMIT_CONSULTATION_STATEMENTS). The counters live in this process or in Redis for their
 * window only, keyed by the address or by the code's hash; none is written to the database.
 */
@Injectable()
export class RespondentLimitGuard implements CanActivate {
  private readonly byAddress: Limiter;
  private readonly byLink: Limiter;
  private readonly byRespondent: Limiter;
  private readonly statements: Limiter;

  constructor(
    private readonly limits: RateLimits,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const r = config.rateLimits;
    const spec = (l: { points: number; seconds: number }) => ({ points: l.points, durationSeconds: l.seconds });
    this.byAddress = limits.limiter('consultation-address', spec(r.consultationAddress));
    this.byLink = limits.limiter('consultation-link', spec(r.consultationLink));
    this.byRespondent = limits.limiter('consultation-respondent', spec(r.consultationRespondent));
    this.statements = limits.limiter('consultation-statements', spec(r.consultationStatements));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request<{ link?: string }>>();
    await this.limits.consume(this.byAddress, clientAddress(req));
    const link = String(req.params.link ?? '').slice(0, 64);
    const budget = this.reflector.get<RespondentBudgetKind | undefined>(RESPONDENT_BUDGET, context.getHandler());
    if (budget === 'start') await this.limits.consume(this.byLink, link);
    const typed = req.headers[RESPONDENT_CODE_HEADER];
    const code = typeof typed === 'string' ? normaliseCode(typed) : null;
    if (code) {
      const key = codeHash(code);
      await this.limits.consume(this.byRespondent, key);
      if (budget === 'statement') await this.limits.consume(this.statements, key);
    }
    return true;
  }
}
