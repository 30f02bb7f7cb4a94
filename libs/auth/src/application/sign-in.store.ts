import type { Tx } from '@parley/platform';

/** One sign-in: a refresh family, from the password typed to its last renewal. */
export interface SignInRow {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

/** What a token's account and sign-in are now. */
export type Standing = 'live' | 'revoked' | 'no-account';

/**
 * Sign-ins as stored. A sign-in is a refresh family: its first row's creation is the sign-in,
 * each renewal adds a row (so the newest row says when it was last used), and revoking sets
 * revoked_at on every row of the family.
 */
export abstract class SignInStore {
  /**
   * One indexed read per request: the account exists and is not deleted, and (for a token that
   * names its sign-in) that sign-in has a row not revoked.
   */
  abstract standing(tx: Tx, userId: string, familyId: string | undefined): Promise<Standing>;

  /** The account's sign-ins neither revoked nor expired, the most recently used first. */
  abstract active(tx: Tx, userId: string, now: Date): Promise<SignInRow[]>;

  /**
   * Revokes the account's sign-ins still live among `familyIds` (all of them when absent);
   * returns the ones it revoked. Another account's family is never touched.
   */
  abstract revoke(tx: Tx, userId: string, familyIds: string[] | undefined, now: Date): Promise<string[]>;
}
