/**
 * An account as Auth knows it: who signs in, under which name, and whether the address was proven.
 * A deleted account keeps its row as a tombstone (`deletedAt` set): seats, authored text and the
 * audit still refer to it.
 */
export interface Account {
  id: string;
  /** Normalised (lower case); unique among accounts. */
  email: string;
  /** argon2; '!' for a deleted account (no password matches it). */
  passwordHash: string;
  displayName: string;
  /** When the holder proved the address by following a mailed link; null = never proven. */
  emailVerifiedAt: Date | null;
  /** When the account was deleted; null = an account in use. */
  deletedAt: Date | null;
  createdAt: Date;
}
