import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import type { Request } from 'express';
import { DomainError, validatePayload } from '@parley/platform';
import { Accounts } from '../application/accounts';
import type { AccessClaims } from '../application/auth.tokens';
import type { UserEntity } from './user.entity';
import { LoginDto } from './auth.dto';

export interface AuthenticatedUser {
  userId: string;
}

/** passport-local: e-mail + password → the account. */
@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly accounts: Accounts) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  validate(email: string, password: string): Promise<UserEntity> {
    return this.accounts.authenticate(email, password);
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

/** The secret access tokens are signed with, resolved once at boot. */
export const JWT_SECRET = Symbol('JWT_SECRET');

/** passport-jwt: the bearer access token (HS256, issuer "parley", expiry enforced). */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(@Inject(JWT_SECRET) secret: string) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      algorithms: ['HS256'],
      issuer: 'parley',
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessClaims): AuthenticatedUser {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') throw new DomainError('TOKEN_INVALID', 'The access token is not valid.');
    return { userId: claims.sub };
  }
}

/** Requires a valid bearer token; a refusal says why with a stable code. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err) throw err;
    if (user) return user;
    const reason = info as { name?: string; message?: string } | undefined;
    if (reason?.name === 'TokenExpiredError') throw new DomainError('TOKEN_EXPIRED', 'The access token has expired; renew it.');
    if (reason?.message === 'No auth token') throw new DomainError('UNAUTHENTICATED', 'Sign in first: a valid access token is required.');
    throw new DomainError('TOKEN_INVALID', 'The access token is not valid.');
  }
}

/** Like JwtAuthGuard when a token is sent; lets the request through without one. */
@Injectable()
export class OptionalJwtAuthGuard extends JwtAuthGuard {
  override canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest<Request>();
    return req.headers.authorization ? super.canActivate(context) : true;
  }
}
