import type { Tx } from '@parley/platform';
import type { Account } from '../domain/account';

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

/** Address verification as stored: links, the verified mark, and an address changing hands. */
export abstract class EmailVerificationStore {
  /** `lock`: the holder's row is locked (FOR UPDATE) until the transaction ends. */
  abstract holderOf(tx: Tx, email: string, lock?: boolean): Promise<AddressHolder | null>;

  /** When the last link to this address for this account (null: for a claim) was made, for the resend limit. */
  abstract lastLinkAt(tx: Tx, email: string, userId: string | null): Promise<Date | null>;

  abstract insert(tx: Tx, link: Omit<StoredVerification, 'id' | 'usedAt'> & { tokenHash: string; createdAt: Date }): Promise<string>;

  abstract remove(tx: Tx, id: string): Promise<void>;

  /** The link with this digest, its row locked (FOR UPDATE) until the transaction ends. */
  abstract byTokenHash(tx: Tx, tokenHash: string): Promise<StoredVerification | null>;

  /** Every open link to this address ends: the address is proven, or changed hands. */
  abstract closeLinksTo(tx: Tx, email: string, at: Date): Promise<void>;

  abstract markVerified(tx: Tx, userId: string, at: Date): Promise<void>;

  /**
   * The address leaves an account that never proved it: the account keeps its id, seats and
   * authored text under an address nobody can receive mail at (RFC 2606 `.invalid`).
   */
  abstract releaseAddress(tx: Tx, userId: string): Promise<void>;

  abstract createVerifiedAccount(tx: Tx, account: { email: string; passwordHash: string; displayName: string }, at: Date): Promise<Account>;

  abstract account(tx: Tx, userId: string): Promise<Account | null>;
}
