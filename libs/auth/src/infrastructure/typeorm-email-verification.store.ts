import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { managerOf, type Tx } from '@parley/platform';
import { EmailVerificationStore, type AddressHolder, type StoredVerification } from '../application/email-verification.store';
import type { Account } from '../domain/account';
import { EmailVerificationEntity } from './email-verification.entity';
import { toAccount } from './typeorm-account.store';
import { UserEntity } from './user.entity';

/** The SQL of address verification: links, the verified mark, and an address changing hands. */
@Injectable()
export class TypeOrmEmailVerificationStore extends EmailVerificationStore {
  async holderOf(tx: Tx, email: string, lock = false): Promise<AddressHolder | null> {
    const user = await managerOf(tx)
      .getRepository(UserEntity)
      .findOne({
        where: { email },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    return user ? { userId: user.id, verified: user.emailVerifiedAt !== null } : null;
  }

  async lastLinkAt(tx: Tx, email: string, userId: string | null): Promise<Date | null> {
    const last = await managerOf(tx)
      .getRepository(EmailVerificationEntity)
      .findOne({ where: { email, userId: userId ?? IsNull() }, order: { createdAt: 'DESC' } });
    return last?.createdAt ?? null;
  }

  async insert(tx: Tx, link: Omit<StoredVerification, 'id' | 'usedAt'> & { tokenHash: string; createdAt: Date }): Promise<string> {
    const id = randomUUID();
    await managerOf(tx)
      .getRepository(EmailVerificationEntity)
      .insert({ id, ...link, usedAt: null });
    return id;
  }

  async remove(tx: Tx, id: string): Promise<void> {
    await managerOf(tx).getRepository(EmailVerificationEntity).delete({ id });
  }

  async byTokenHash(tx: Tx, tokenHash: string): Promise<StoredVerification | null> {
    const row = await managerOf(tx)
      .getRepository(EmailVerificationEntity)
      .findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
    return row
      ? {
          id: row.id,
          email: row.email,
          userId: row.userId,
          passwordHash: row.passwordHash,
          displayName: row.displayName,
          expiresAt: row.expiresAt,
          usedAt: row.usedAt,
        }
      : null;
  }

  async closeLinksTo(tx: Tx, email: string, at: Date): Promise<void> {
    await managerOf(tx).getRepository(EmailVerificationEntity).update({ email, usedAt: IsNull() }, { usedAt: at });
  }

  async markVerified(tx: Tx, userId: string, at: Date): Promise<void> {
    await managerOf(tx).getRepository(UserEntity).update({ id: userId, emailVerifiedAt: IsNull() }, { emailVerifiedAt: at });
  }

  async releaseAddress(tx: Tx, userId: string): Promise<void> {
    await managerOf(tx)
      .getRepository(UserEntity)
      .update({ id: userId }, { email: `released.${randomUUID()}@parley.invalid`, emailVerifiedAt: null });
  }

  async createVerifiedAccount(tx: Tx, account: { email: string; passwordHash: string; displayName: string }, at: Date): Promise<Account> {
    const repo = managerOf(tx).getRepository(UserEntity);
    const user = repo.create({ id: randomUUID(), ...account, emailVerifiedAt: at });
    await repo.insert(user);
    return toAccount(user);
  }

  async account(tx: Tx, userId: string): Promise<Account | null> {
    const user = await managerOf(tx)
      .getRepository(UserEntity)
      .findOne({ where: { id: userId } });
    return user ? toAccount(user) : null;
  }
}
