import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, UnitOfWork } from '@parley/platform';
import { AccountStore } from './account.store';
import { AccountTies } from './account-ties';
import { PasswordHasher } from './password-hasher';
import { SignInEndings } from './sign-in-ended';
import { SignInStore } from './sign-in.store';

export interface DeleteAccountCommand {
  userId: string;
  /** Typed again: a token alone (a page left open) does not delete an account. */
  password: string;
}

/** The display name a deleted account's row keeps (seats keep the name they spoke under). */
export const DELETED_ACCOUNT_NAME = 'Deleted account';

/**
 * Deleting an account. Refused while it leads a session not closed (ACCOUNT_LEADS_OPEN_SESSIONS:
 * a session is never left without its lead). Otherwise, in one transaction: its seats in sessions
 * not closed are left (the rooms and the audit see the participant leave), every sign-in is
 * revoked, and the account's row becomes a tombstone — address freed (it can be registered
 * again), password unusable, name replaced — so that what it wrote and what the audit chain
 * records of it stay exactly as they were (the chain is never rewritten). Then its sockets close
 * on every instance.
 */
@Injectable()
export class DeleteAccount {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly store: SignInStore,
    private readonly ties: AccountTies,
    private readonly endings: SignInEndings,
    private readonly clock: Clock,
  ) {}

  async execute(cmd: DeleteAccountCommand): Promise<void> {
    const after = await this.uow.transaction(async (tx) => {
      const user = await this.accounts.byId(tx, cmd.userId, true);
      if (!user || user.deletedAt) throw new DomainError('TOKEN_INVALID', 'The account of this token no longer exists.');
      if (!(await this.hasher.verify(user.passwordHash, cmd.password)))
        throw new DomainError('INVALID_CREDENTIALS', 'Wrong password.', 'password');
      await this.ties.assertMayLeave(user.id, tx);
      const afterSeats = await this.ties.leave(user.id, tx);
      const now = new Date(this.clock.now());
      await this.store.revoke(tx, user.id, undefined, now);
      await this.accounts.tombstone(tx, user.id, {
        email: `${user.id}@deleted.invalid`,
        passwordHash: '!',
        displayName: DELETED_ACCOUNT_NAME,
        deletedAt: now,
      });
      return afterSeats;
    });
    this.logger.log(`account ${cmd.userId} deleted`);
    // Its sockets first, so that the account hears nothing of its own departure; then the rooms are told.
    await this.endings.ended({ userId: cmd.userId, reason: 'ACCOUNT_DELETED' });
    for (const work of after) await work().catch((e: unknown) => this.logger.warn(`after deleting an account: ${(e as Error).message}`));
  }
}
