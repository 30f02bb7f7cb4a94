import type { Tx } from '@parley/platform';

/** One refresh token of a rotation family (a sign-in); only its digest is kept. */
export interface RefreshToken {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** Refresh tokens' rows: issuing, and the rotation of a family. */
export abstract class RefreshTokenStore {
  abstract insert(tx: Tx, token: RefreshToken): Promise<void>;
  /** The token with this digest, its row locked (FOR UPDATE) until the transaction ends. */
  abstract lockByHash(tx: Tx, tokenHash: string): Promise<RefreshToken | null>;
  abstract markRotated(tx: Tx, id: string, at: Date): Promise<void>;
  /** Every token of the family not yet revoked is revoked at `at`. */
  abstract revokeFamily(tx: Tx, familyId: string, at: Date): Promise<void>;
}
