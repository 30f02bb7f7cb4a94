import { Injectable } from '@nestjs/common';
import { managerOf, type Tx } from '@parley/platform';
import { AccountStore, type NewAccountRow } from '../application/account.store';
import type { Account } from '../domain/account';
import { UserEntity } from './user.entity';

/** The account a row holds, as a plain object: no entity leaves the store. */
export const toAccount = (u: UserEntity): Account => ({
  id: u.id,
  email: u.email,
  passwordHash: u.passwordHash,
  displayName: u.displayName,
  emailVerifiedAt: u.emailVerifiedAt ?? null,
  deletedAt: u.deletedAt ?? null,
  createdAt: u.createdAt,
});

@Injectable()
export class TypeOrmAccountStore extends AccountStore {
  async byEmail(tx: Tx, email: string): Promise<Account | null> {
    const user = await managerOf(tx).getRepository(UserEntity).findOne({ where: { email } });
    return user ? toAccount(user) : null;
  }

  existsWithEmail(tx: Tx, email: string): Promise<boolean> {
    return managerOf(tx).getRepository(UserEntity).exists({ where: { email } });
  }

  async byId(tx: Tx, id: string, lock = false): Promise<Account | null> {
    const user = await managerOf(tx)
      .getRepository(UserEntity)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    return user ? toAccount(user) : null;
  }

  async require(tx: Tx, id: string): Promise<Account> {
    return toAccount(await managerOf(tx).getRepository(UserEntity).findOneByOrFail({ id }));
  }

  async insert(tx: Tx, row: NewAccountRow): Promise<Account | 'email-taken'> {
    const repo = managerOf(tx).getRepository(UserEntity);
    const user = repo.create(row);
    try {
      await repo.insert(user);
    } catch (e) {
      // Two registrations racing on one address: the unique index decides.
      if ((e as { code?: string }).code === '23505') return 'email-taken';
      throw e;
    }
    return toAccount(user);
  }

  async tombstone(tx: Tx, id: string, row: { email: string; passwordHash: string; displayName: string; deletedAt: Date }): Promise<void> {
    await managerOf(tx).getRepository(UserEntity).update({ id }, row);
  }
}
