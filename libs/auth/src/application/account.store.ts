import type { Tx } from '@parley/platform';
import type { Account } from '../domain/account';

/** What a new account's row starts with; the store adds the rest (unverified, in use, created now). */
export interface NewAccountRow {
  id: string;
  email: string;
  passwordHash: string;
  displayName: string;
}

/** Accounts' rows: the port Auth's use cases read and write accounts through. */
export abstract class AccountStore {
  /** The account holding this (normalised) address, deleted or not. */
  abstract byEmail(tx: Tx, email: string): Promise<Account | null>;
  abstract existsWithEmail(tx: Tx, email: string): Promise<boolean>;
  /** The account, deleted or not; `lock`: its row is locked (FOR UPDATE) until the transaction ends. */
  abstract byId(tx: Tx, id: string, lock?: boolean): Promise<Account | null>;
  /** An account a row just read refers to: its absence is a fault, thrown as such. */
  abstract require(tx: Tx, id: string): Promise<Account>;
  /** The new account, or 'email-taken' when another holds the address (the unique index decides a race). */
  abstract insert(tx: Tx, row: NewAccountRow): Promise<Account | 'email-taken'>;
  /** The account's row becomes a tombstone: these credentials and name, and `deletedAt`. */
  abstract tombstone(tx: Tx, id: string, row: { email: string; passwordHash: string; displayName: string; deletedAt: Date }): Promise<void>;
}
