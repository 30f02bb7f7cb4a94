declare const transactionBrand: unique symbol;

/**
 * One transaction, or the connection that commits each statement by itself: opaque to application
 * code, which only hands it to stores. Only a store's implementation (infrastructure) opens it.
 */
export type Tx = { readonly [transactionBrand]: true };

/**
 * Where a use case draws the line of one transaction. Application code asks for it by this class
 * (a Nest token); the database behind it is infrastructure's business.
 */
export abstract class UnitOfWork {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  abstract transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs reads on one snapshot (a read-only REPEATABLE READ transaction): every statement sees the
   * database as the first one did, so a permission checked and the data read under it belong to one
   * moment, whatever commits in between.
   */
  abstract snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Outside any transaction: each statement commits by itself (reads, single-statement writes). */
  abstract get autocommit(): Tx;
}
