import { databaseFailureCause } from './database-failure';

/** Told what the pool learns about the database's reachability. */
export interface ConnectivityListener {
  /** A connection could not be made, or a pooled one was cut, for this reason (one line). */
  unreachable(cause: string): void;
  /** A connection was made, and no failure was seen while it was being made. */
  reachable(): void;
}

/** The part of a pg Client this watcher needs: its connect, in both of pg's forms. */
interface Connectable {
  connect(): Promise<unknown>;
  connect(callback: (err: Error | null) => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript asks a mixin's base for exactly `any[]` (TS2545)
type ClientClass = new (...args: any[]) => Connectable;

/**
 * What the connection pool itself sees of the database: every connection attempt (the pool makes
 * one for each request that finds no idle connection, so a request during an outage always makes
 * one) and every error on an idle pooled connection (how a PostgreSQL shutting down announces
 * itself). This is the one observer that sees every failure, whichever code path queried — TypeORM
 * repositories, transactions, or the prepared statements that go straight to the pool — and it
 * belongs to one DataSource, so two API instances in one process keep their own account.
 *
 * A connection counts as proof that the database is back only if no failure was seen while it was
 * being made: a connect begun before a shutdown and finishing just after would otherwise end the
 * outage it belongs to.
 */
export class DatabaseConnectivity {
  private readonly listeners = new Set<ConnectivityListener>();
  /** Bumped on every failure seen; an attempt that spans a bump proves nothing. */
  private failures = 0;

  watch(listener: ConnectivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An error seen by the pool or a connection; ignored unless it means the database is unreachable. */
  failed(error: unknown): void {
    const cause = databaseFailureCause(error);
    if (!cause) return;
    this.failures++;
    for (const l of this.listeners) l.unreachable(cause);
  }

  /**
   * The pg Client class to give the pool (`extra.Client`): the driver's own class, reporting the end
   * of each connection attempt here. Nothing else about the client changes.
   */
  clientClass<C extends ClientClass>(Base: C): C {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- inside the class below, `this` is the pg Client
    const watcher = this;
    return class WatchedClient extends Base {
      override connect(): Promise<unknown>;
      override connect(callback: (err: Error | null) => void): void;
      override connect(callback?: (err: Error | null) => void): Promise<unknown> | void {
        const before = watcher.failures;
        const done = (err: unknown) => (err ? watcher.failed(err) : watcher.connected(before));
        if (typeof callback === 'function') {
          return super.connect((err) => {
            done(err);
            callback(err);
          });
        }
        return super.connect().then(
          (client) => {
            done(null);
            return client;
          },
          (err: unknown) => {
            done(err);
            throw err;
          },
        );
      }
    };
  }

  private connected(failuresBefore: number): void {
    if (failuresBefore !== this.failures) return;
    for (const l of this.listeners) l.reachable();
  }
}
