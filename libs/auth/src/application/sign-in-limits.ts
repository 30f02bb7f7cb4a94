import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, RateLimits, isDomainError, type AppConfig, type Limiter } from '@parley/platform';
import { normaliseEmail } from '../domain/credentials';

/** Lockouts are remembered this long for the backoff: each one within it doubles the next. */
const LOCKOUT_MEMORY_SECONDS = 86_400;

/**
 * Brute force against passwords, wherever credentials are checked (sign-in, and accepting an
 * invitation with an e-mail and a password): failures are counted per account (the normalised
 * address, known or not) and per client address; past either limit every attempt is refused
 * RATE_LIMITED before the password is looked at, the right one included, until the block ends.
 * Successes are not counted, and one clears the account's failures. An account's lockout lasts
 * `signInBlockSeconds`, doubled for each earlier lockout of the last day (up to the maximum).
 */
@Injectable()
export class SignInLimits {
  private readonly logger = new Logger('Auth');
  private readonly byAccount: Limiter;
  private readonly byAddress: Limiter;
  private readonly lockoutHistory: Limiter;
  private readonly blockSeconds: number;
  private readonly blockMaxSeconds: number;
  /** Attempts refused by a limit, and lockouts begun (account or client address), since the process started. */
  refused = 0;
  lockouts = 0;

  constructor(
    private readonly limits: RateLimits,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const r = config.rateLimits;
    this.byAccount = limits.limiter('sign-in-account', { points: r.signInAccount.points, durationSeconds: r.signInAccount.seconds });
    this.byAddress = limits.limiter('sign-in-address', { points: r.signInAddress.points, durationSeconds: r.signInAddress.seconds });
    this.lockoutHistory = limits.limiter('sign-in-lockouts', { points: 1_000_000, durationSeconds: LOCKOUT_MEMORY_SECONDS });
    this.blockSeconds = r.signInBlockSeconds;
    this.blockMaxSeconds = Math.max(r.signInBlockSeconds, r.signInBlockMaxSeconds);
  }

  /**
   * Runs `work` (which checks `email`'s password) under the limits of that account and of the
   * client `address`: refused before it runs when either is spent; an INVALID_CREDENTIALS it
   * throws is counted against both.
   */
  async attempt<T>(email: string, address: string, work: () => Promise<T>): Promise<T> {
    const account = normaliseEmail(email);
    try {
      await Promise.all([this.limits.check(this.byAccount, account), this.limits.check(this.byAddress, address)]);
    } catch (e) {
      this.refused += 1;
      throw e;
    }
    let result: T;
    try {
      result = await work();
    } catch (e) {
      if (isDomainError(e) && e.code === 'INVALID_CREDENTIALS') await this.failed(account, address);
      throw e;
    }
    await this.byAccount.delete(account);
    return result;
  }

  private async failed(account: string, address: string): Promise<void> {
    const [forAccount, forAddress] = await Promise.all([this.byAccount.penalty(account), this.byAddress.penalty(address)]);
    // Exactly at the limit (once per lockout, however many attempts race): a lockout begins.
    if (forAccount.consumedPoints === this.byAccount.points) {
      const earlier = (await this.lockoutHistory.penalty(account)).consumedPoints - 1;
      const seconds = Math.min(this.blockSeconds * 2 ** Math.min(earlier, 30), this.blockMaxSeconds);
      await this.byAccount.block(account, seconds);
      this.lockouts += 1;
      // A tag of the address, not the address: it may be someone else's, or a password typed in the wrong field.
      this.logger.warn(
        `sign-in locked for ${seconds} s: ${this.byAccount.points} failed sign-ins within ${this.byAccount.duration} s for address #${tag(account)} (lockout ${earlier + 1} of the last day)`,
      );
    }
    if (forAddress.consumedPoints === this.byAddress.points) {
      this.lockouts += 1;
      this.logger.warn(
        `sign-in locked for ${Math.ceil(forAddress.msBeforeNext / 1000)} s: ${this.byAddress.points} failed sign-ins within ${this.byAddress.duration} s from ${address}`,
      );
    }
  }
}

const tag = (account: string): string => createHash('sha256').update(account).digest('hex').slice(0, 12);
