import { type CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Strategy as LocalStrategyBase } from 'passport-local';
import type { Request } from 'express';
import { clientAddress, validatePayload } from '@parley/platform';
import { Accounts } from '../application/accounts';
import type { Account } from '../domain/account';
import { AuthTokens } from '../application/auth.tokens';
import { SignInLimits } from '../application/sign-in-limits';
import { SignIns } from '../application/sign-ins';
import { LoginDto } from './auth.dto';

export interface AuthenticatedUser {
  userId: string;
  /** The sign-in (refresh family) of the token, when it names one. */
  familyId?: string;
}

/** passport-local: e-mail + password → the account, under the sign-in limits of that account and client address. */
@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(
    private readonly accounts: Accounts,
    private readonly signIns: SignInLimits,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: Request, email: string, password: string): Promise<Account> {
    return this.signIns.attempt(email, clientAddress(req), () => this.accounts.authenticate(email, password));
  }
}

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    // Validate the body first, so a malformed login is a 400 naming the field, not a 401.
    validatePayload(LoginDto, context.switchToHttp().getRequest<Request>().body);
    return super.canActivate(context);
  }
}

/**
 * Requires a valid bearer access token — checked by AuthTokens.verifyAccess, as at the Socket.IO
 * handshake, so both read the same clock — of an account not deleted and a sign-in not ended
 * (one indexed read, SignIns.assertLive); a refusal says why with a stable code.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: AuthTokens,
    private readonly signIns: SignIns,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const { userId, familyId } = this.tokens.verifyAccess(bearerToken(req));
    await this.signIns.assertLive({ userId, familyId });
    req.user = familyId ? { userId, familyId } : { userId };
    return true;
  }
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case), if there is one. */
function bearerToken(req: Request): string | undefined {
  return /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** Like JwtAuthGuard when a token is sent; lets the request through without one. */
@Injectable()
export class OptionalJwtAuthGuard extends JwtAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    return req.headers.authorization ? super.canActivate(context) : true;
  }
}
