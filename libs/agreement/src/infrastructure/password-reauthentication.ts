import { Injectable, Logger } from '@nestjs/common';
import { Accounts, PasswordHasher, SignInLimits } from '@parley/auth';
import { Clock, DomainError } from '@parley/platform';
import type { Reauthenticated } from '../domain';
import { Reauthentication } from '../application/reauthentication';

/**
 * The password checked again with argon2 against the account's stored hash, under the same limits as
 * signing in (a wrong one counts towards the account's and the address's lockout).
 */
@Injectable()
export class PasswordReauthentication extends Reauthentication {
  private readonly logger = new Logger('Agreement');

  constructor(
    private readonly accounts: Accounts,
    private readonly hasher: PasswordHasher,
    private readonly signIns: SignInLimits,
    private readonly clock: Clock,
  ) {
    super();
  }

  async confirm(userId: string, password: string, clientAddress: string): Promise<Reauthenticated> {
    const user = await this.accounts.byId(userId);
    await this.signIns.attempt(user.email, clientAddress, async () => {
      if (await this.hasher.verify(user.passwordHash, password)) return;
      this.logger.warn(`failed re-authentication: wrong password for account ${user.id}`);
      throw new DomainError('INVALID_CREDENTIALS', 'The password is wrong: nothing was signed.', 'password');
    });
    return { method: 'password', at: new Date(this.clock.now()).toISOString() };
  }
}
