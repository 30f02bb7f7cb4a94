import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, UnitOfWork, nameProblem, normaliseName, type Tx } from '@parley/platform';
import type { Account } from '../domain/account';
import { normaliseEmail, passwordProblem } from '../domain/credentials';
import { AccountStore } from './account.store';
import { PasswordHasher } from './password-hasher';

export interface NewAccount {
  email: string;
  password: string;
  displayName: string;
}

const emailTaken = () => new DomainError('EMAIL_TAKEN', 'An account with this e-mail address already exists; sign in instead.', 'email');

/** Accounts: creating them and checking credentials. Sessions and invitations build on it. */
@Injectable()
export class Accounts {
  private readonly logger = new Logger('Auth');
  /** Failed sign-ins since the process started (wrong password, or no account for the address). */
  failedSignIns = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: AccountStore,
    private readonly hasher: PasswordHasher,
  ) {}

  async register(input: NewAccount, tx: Tx = this.uow.autocommit): Promise<Account> {
    // Both ways in (registration, and accepting an invitation with new credentials) pass here, so
    // the rules hold whichever DTO brought the request.
    const weak = passwordProblem(input.password);
    if (weak) throw new DomainError('VALIDATION_FAILED', weak, 'password');
    const displayName = normaliseName(input.displayName);
    const badName = nameProblem(displayName, 'displayName');
    if (badName) throw new DomainError('VALIDATION_FAILED', badName, 'displayName');
    const email = normaliseEmail(input.email);
    if (await this.exists(email, tx)) throw emailTaken();
    const user = await this.store.insert(tx, {
      id: randomUUID(),
      email,
      passwordHash: await this.hasher.hash(input.password),
      displayName,
    });
    // Two registrations racing on one address: the unique index decides.
    if (user === 'email-taken') throw emailTaken();
    return user;
  }

  /** The account for these credentials; the same error whether the e-mail or the password is wrong. */
  async authenticate(email: string, password: string, tx: Tx = this.uow.autocommit): Promise<Account> {
    const user = await this.store.byEmail(tx, normaliseEmail(email));
    // An unknown address costs the same argon2 work as a wrong password: the timing tells nothing.
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyAgainstNoAccount(password);
    if (!user || !ok) {
      this.failedSignIns += 1;
      // The account's id, never the address typed (it may be someone else's, or a password typed in the wrong field).
      this.logger.warn(`failed sign-in: ${user ? `wrong password for account ${user.id}` : 'no account for the address given'}`);
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong e-mail address or password.');
    }
    return user;
  }

  exists(email: string, tx: Tx = this.uow.autocommit): Promise<boolean> {
    return this.store.existsWithEmail(tx, normaliseEmail(email));
  }

  async byId(id: string, tx: Tx = this.uow.autocommit): Promise<Account> {
    const user = await this.store.byId(tx, id);
    if (!user || user.deletedAt) throw new DomainError('TOKEN_INVALID', 'The account of this token no longer exists.');
    return user;
  }
}
