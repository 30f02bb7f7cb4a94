import { Injectable } from '@nestjs/common';
import type { Tx } from '@parley/platform';

/**
 * What another context holds of an account (sessions: seats), asked when the account is deleted.
 * `assertMayLeave` refuses with a DomainError (ACCOUNT_LEADS_OPEN_SESSIONS); `leave` runs in the
 * deletion's transaction and returns what to do once it is committed (telling the rooms).
 */
export interface AccountTie {
  assertMayLeave(userId: string, tx: Tx): Promise<void>;
  leave(userId: string, tx: Tx): Promise<() => Promise<void>>;
}

/** The ties other contexts register at start: Auth deletes an account without knowing what a seat is. */
@Injectable()
export class AccountTies {
  private readonly ties: AccountTie[] = [];

  register(tie: AccountTie): void {
    this.ties.push(tie);
  }

  async assertMayLeave(userId: string, tx: Tx): Promise<void> {
    for (const tie of this.ties) await tie.assertMayLeave(userId, tx);
  }

  async leave(userId: string, tx: Tx): Promise<Array<() => Promise<void>>> {
    const after: Array<() => Promise<void>> = [];
    for (const tie of this.ties) after.push(await tie.leave(userId, tx));
    return after;
  }
}
