import { Injectable, Logger } from '@nestjs/common';

/** Why connections end before their token does. */
export type SignInEndReason = 'SIGN_IN_REVOKED' | 'ACCOUNT_DELETED';

/** Which connections end: every one of an account, or those of some of its sign-ins (refresh families). */
export interface SignInEnded {
  userId: string;
  /** The sign-ins ended; absent = every sign-in of the account. */
  familyIds?: string[];
  reason: SignInEndReason;
}

/**
 * Where Auth says "these sign-ins are over" to whoever holds connections made with them (the
 * Socket.IO gateway closes their sockets on every instance). Auth knows nothing of sockets: a
 * listener registers at start.
 */
@Injectable()
export class SignInEndings {
  private readonly logger = new Logger('Auth');
  private readonly listeners: Array<(e: SignInEnded) => Promise<void>> = [];

  listen(listener: (e: SignInEnded) => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** Resolves once every listener has acted (or failed, logged: the revocation itself is committed). */
  async ended(e: SignInEnded): Promise<void> {
    const results = await Promise.allSettled(this.listeners.map((l) => l(e)));
    for (const r of results)
      if (r.status === 'rejected') this.logger.warn(`closing the connections of an ended sign-in failed: ${(r.reason as Error).message}`);
  }
}
