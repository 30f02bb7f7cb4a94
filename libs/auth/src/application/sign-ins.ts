import { Injectable, Logger } from '@nestjs/common';
import type { SignInView } from '@parley/contracts';
import { Clock, DomainError, UnitOfWork } from '@parley/platform';
import { SignInEndings } from './sign-in-ended';
import { SignInStore, type Standing } from './sign-in.store';

/** What a verified access token says about its holder. */
export interface TokenHolder {
  userId: string;
  /** The sign-in (refresh family) the token was issued under; absent in tokens issued before it was carried. */
  familyId?: string;
}

/**
 * Sign-ins are refresh families. Ending one (signing out, or ending it from the list) revokes the
 * family — its refresh token no longer renews — and closes its sockets on every instance; its
 * access tokens stop working at once, over HTTP and at a handshake (`assertLive`), instead of
 * lasting their remaining minutes.
 */
@Injectable()
export class SignIns {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: SignInStore,
    private readonly endings: SignInEndings,
    private readonly clock: Clock,
  ) {}

  /**
   * Refuses a token whose account was deleted (TOKEN_INVALID) or whose sign-in was ended
   * (SIGN_IN_REVOKED). The database away is not a refusal: the request meets the outage itself.
   */
  async assertLive(holder: TokenHolder): Promise<void> {
    let standing: Standing;
    try {
      standing = await this.store.standing(this.uow.autocommit, holder.userId, holder.familyId);
    } catch (e) {
      this.logger.warn(`sign-in not checked (${(e as Error).message})`);
      return;
    }
    if (standing === 'no-account') throw new DomainError('TOKEN_INVALID', 'The account of this token no longer exists.');
    if (standing === 'revoked') throw new DomainError('SIGN_IN_REVOKED', 'This sign-in was ended; sign in again.');
  }

  /** The account's live sign-ins; `current` marks the caller's own. */
  async list(holder: TokenHolder): Promise<SignInView[]> {
    const rows = await this.store.active(this.uow.autocommit, holder.userId, new Date(this.clock.now()));
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      current: r.id === holder.familyId,
    }));
  }

  /** Signing out: the caller's own sign-in ends (a token naming none has nothing to revoke). */
  async signOut(holder: TokenHolder): Promise<void> {
    if (!holder.familyId) return;
    await this.endFamilies(holder.userId, [holder.familyId]);
  }

  /** Ends one of the caller's sign-ins; another account's or an unknown one is SIGN_IN_NOT_FOUND. */
  async end(holder: TokenHolder, familyId: string): Promise<void> {
    const ended = await this.endFamilies(holder.userId, [familyId]);
    if (ended.length === 0) throw new DomainError('SIGN_IN_NOT_FOUND', 'No such sign-in of this account.', 'id');
  }

  private async endFamilies(userId: string, familyIds: string[]): Promise<string[]> {
    const ended = await this.store.revoke(this.uow.autocommit, userId, familyIds, new Date(this.clock.now()));
    if (ended.length) await this.endings.ended({ userId, familyIds: ended, reason: 'SIGN_IN_REVOKED' });
    return ended;
  }
}
