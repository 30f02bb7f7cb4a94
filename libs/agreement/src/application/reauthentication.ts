import type { Reauthenticated } from '../domain';

/**
 * A fresh proof, at the moment of an act that binds a delegation, that the account's holder is at
 * the keyboard — beyond a valid token, which a left-open browser or a stolen token also gives.
 * The agreement asks through this port; the accounts behind it are the auth context's.
 */
export abstract class Reauthentication {
  /**
   * Resolves with what was checked when `password` is `userId`'s. Otherwise refuses
   * INVALID_CREDENTIALS (field `password`), counted like a failed sign-in from `clientAddress`; once
   * the sign-in limits are spent, RATE_LIMITED before the password is looked at.
   */
  abstract confirm(userId: string, password: string, clientAddress: string): Promise<Reauthenticated>;
}
