import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { TokenPair, UserView } from '@parley/contracts';
import { APP_CONFIG, Clock, DomainError, UnitOfWork, type AppConfig, type Tx } from '@parley/platform';
import type { Account } from '../domain/account';
import { digestToken, newOpaqueToken } from '../domain/credentials';
import { AccountStore } from './account.store';
import { RefreshTokenStore } from './refresh-token.store';

export interface AccessClaims {
  sub: string;
  typ: 'access';
  /** The sign-in (refresh family) it was issued under: ending that sign-in ends the token too. */
  fam?: string;
}

/** What a valid access token says. */
export interface VerifiedAccess {
  userId: string;
  /** Epoch ms. */
  expiresAt: number;
  familyId?: string;
}

export const toUserView = (u: Pick<Account, 'id' | 'email' | 'displayName'>): UserView => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
});

/**
 * Issues and checks tokens: short-lived JWT access tokens (HTTP and the Socket.IO handshake) and
 * opaque, single-use refresh tokens rotated on every renewal. Every time it reads — a token's
 * issue, its expiry, a refresh token's — is the injected Clock's.
 */
@Injectable()
export class AuthTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly uow: UnitOfWork,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly accounts: AccountStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async issue(
    user: Pick<Account, 'id' | 'email' | 'displayName'>,
    tx: Tx = this.uow.autocommit,
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const refreshToken = newOpaqueToken();
    await this.refreshTokens.insert(tx, {
      id: randomUUID(),
      userId: user.id,
      familyId,
      tokenHash: digestToken(refreshToken),
      expiresAt: new Date(this.clock.now() + this.config.refreshTokenTtlSeconds * 1000),
      rotatedAt: null,
      revokedAt: null,
    });
    // iat is the clock's: jsonwebtoken counts expiresIn from it, and would read Date.now() otherwise.
    const claims: AccessClaims & { iat: number } = { sub: user.id, typ: 'access', fam: familyId, iat: Math.floor(this.clock.now() / 1000) };
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: 'parley',
      algorithm: 'HS256',
    });
    return { accessToken, expiresIn: this.config.accessTokenTtlSeconds, refreshToken, user: toUserView(user) };
  }

  /** The user of a valid access token and when the token expires, or a DomainError saying why not. */
  verifyAccess(token: unknown): VerifiedAccess {
    if (typeof token !== 'string' || token.length === 0) {
      throw new DomainError('UNAUTHENTICATED', 'Sign in first: a valid access token is required.');
    }
    try {
      const claims = this.jwt.verify<AccessClaims & { exp: number }>(token, {
        issuer: 'parley',
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(this.clock.now() / 1000),
      });
      if (claims.typ !== 'access' || typeof claims.sub !== 'string') throw new Error('not an access token');
      if (claims.fam !== undefined && typeof claims.fam !== 'string') throw new Error('not an access token');
      return { userId: claims.sub, expiresAt: claims.exp * 1000, ...(claims.fam ? { familyId: claims.fam } : {}) };
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') throw new DomainError('TOKEN_EXPIRED', 'The access token has expired; renew it.');
      throw new DomainError('TOKEN_INVALID', 'The access token is not valid.');
    }
  }

  /**
   * Rotation: a refresh token works once. Presenting one that was already rotated means it was
   * copied — the whole family is revoked and the caller must sign in again.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    return this.uow
      .transaction(async (tx) => {
        const row = await this.refreshTokens.lockByHash(tx, digestToken(refreshToken));
        if (!row || row.revokedAt || row.expiresAt.getTime() <= this.clock.now()) {
          throw new DomainError('REFRESH_TOKEN_INVALID', 'The refresh token is not valid; sign in again.', 'refreshToken');
        }
        if (row.rotatedAt) {
          await this.refreshTokens.revokeFamily(tx, row.familyId, new Date(this.clock.now()));
          return { reused: true } as const;
        }
        await this.refreshTokens.markRotated(tx, row.id, new Date(this.clock.now()));
        const user = await this.accounts.require(tx, row.userId);
        return this.issue(user, tx, row.familyId);
      })
      .then((result) => {
        // Thrown after the commit, so that the revocation of the family is kept.
        if ('reused' in result)
          throw new DomainError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; sign in again.', 'refreshToken');
        return result;
      });
  }
}
