import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { EmailVerificationEntity } from './email-verification.entity';
import { UserEntity } from './user.entity';

/** Who holds an address now, and whether they proved it. */
export interface AddressHolder {
  userId: string;
  verified: boolean;
}

/** A link as stored: for an account (userId) or a claim (passwordHash, displayName). */
export interface StoredVerification {
  id: string;
  email: string;
  userId: string | null;
  passwordHash: string | null;
  displayName: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

/** The SQL of address verification: links, the verified mark, and an address changing hands. */
@Injectable()
export class EmailVerificationStore {
  async holderOf(manager: EntityManager, email: string, lock = false): Promise<AddressHolder | null> {
    const user = await manager.getRepository(UserEntity).findOne({
      where: { email },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return user ? { userId: user.id, verified: user.emailVerifiedAt !== null } : null;
  }

  /** When the last link to this address for this account (null: for a claim) was made, for the resend limit. */
  async lastLinkAt(manager: EntityManager, email: string, userId: string | null): Promise<Date | null> {
    const last = await manager
      .getRepository(EmailVerificationEntity)
      .findOne({ where: { email, userId: userId ?? IsNull() }, order: { createdAt: 'DESC' } });
    return last?.createdAt ?? null;
  }

  async insert(
    manager: EntityManager,
    link: Omit<StoredVerification, 'id' | 'usedAt'> & { tokenHash: string; createdAt: Date },
  ): Promise<string> {
    const id = randomUUID();
    await manager.getRepository(EmailVerificationEntity).insert({ id, ...link, usedAt: null });
    return id;
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(EmailVerificationEntity).delete({ id });
  }

  async byTokenHash(manager: EntityManager, tokenHash: string): Promise<StoredVerification | null> {
    const row = await manager.getRepository(EmailVerificationEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
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

  /** Every open link to this address ends: the address is proven, or changed hands. */
  async closeLinksTo(manager: EntityManager, email: string, at: Date): Promise<void> {
    await manager.getRepository(EmailVerificationEntity).update({ email, usedAt: IsNull() }, { usedAt: at });
  }

  async markVerified(manager: EntityManager, userId: string, at: Date): Promise<void> {
    await manager.getRepository(UserEntity).update({ id: userId, emailVerifiedAt: IsNull() }, { emailVerifiedAt: at });
  }

  /**
   * The address leaves an account that never proved it: the account keeps its id, seats and
   * authored text under an address nobody can receive mail at (RFC 2606 `.invalid`).
   */
  async releaseAddress(manager: EntityManager, userId: string): Promise<void> {
    await manager
      .getRepository(UserEntity)
      .update({ id: userId }, { email: `released.${randomUUID()}@parley.invalid`, emailVerifiedAt: null });
  }

  async createVerifiedAccount(
    manager: EntityManager,
    account: { email: string; passwordHash: string; displayName: string },
    at: Date,
  ): Promise<UserEntity> {
    const repo = manager.getRepository(UserEntity);
    const user = repo.create({ id: randomUUID(), ...account, emailVerifiedAt: at });
    await repo.insert(user);
    return user;
  }

  async account(manager: EntityManager, userId: string): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOne({ where: { id: userId } });
  }
}
