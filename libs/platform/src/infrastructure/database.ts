import { Logger } from '@nestjs/common';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import * as lockfile from 'proper-lockfile';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { DatabaseConnectivity } from './database-connectivity';
import { PgliteThread, createPgliteDatabase, pgliteModules } from './pglite-thread';
import { ensurePrivateDir, tightenTree } from './private-path';

export interface DatabaseHandle {
  dataSource: DataSource;
  kind: 'postgres' | 'embedded';
  /** What the pool sees of the database's reachability (the embedded one is in-process: it never reports). */
  connectivity: DatabaseConnectivity;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(`The embedded database in ${dir} is already in use by another Parley process. Stop it, or set DATA_DIR to another folder.`);
    this.name = 'DataDirLockedError';
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Classes = MixedList<Function | string | EntitySchema>;

/**
 * Opens the database: the PostgreSQL at DATABASE_URL, or else an embedded PostgreSQL (PGlite)
 * persisted under DATA_DIR (or kept in memory with DATA_DIR=memory://). PGlite does not lock its
 * folder itself, so a lock file guards against a second process opening the same one; a lock left
 * by a killed process goes stale after 10 s.
 * Migrations run on open; the schema is never synchronised from entities.
 */
export async function openDatabase(config: AppConfig, entities: Classes, migrations: Classes): Promise<DatabaseHandle> {
  const common = { entities, migrations, migrationsRun: true, synchronize: false, logging: false };
  const connectivity = new DatabaseConnectivity();
  if (config.databaseUrl) {
    Logger.log(`PostgreSQL at ${withoutPassword(config.databaseUrl)}`, 'Database');
    const dataSource = new DataSource({
      type: 'postgres',
      url: config.databaseUrl,
      installExtensions: false,
      extra: {
        max: config.databasePoolSize,
        // Idle connections are kept (DATABASE_POOL_IDLE_MS 0) rather than closed after pg's 10 s:
        // those a burst of joins opened went idle at once, and closing them at once stalled the
        // event loop for 58–127 ms under load (one such stall a run was the control-plane
        // benchmark's p99). 0 means never for pg-pool; a connection that errors is still dropped.
        idleTimeoutMillis: config.databasePoolIdleMs,
        // A request never waits long for a connection while PostgreSQL is away: a refused connect
        // fails at once, one that gets no answer after 5 s, and so does waiting for a free one.
        connectionTimeoutMillis: 5000,
        // A statement on a connection whose server vanished without closing it (a cut network, a
        // frozen host) would wait for TCP to notice, minutes; keep-alive notices sooner and the
        // read timeout bounds the request at 30 s, far above any statement of the API (a migration
        // building an index on a very large table could need more: raise it for that run).
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        query_timeout: 30_000,
        // The driver's own client, reporting each connection attempt (see DatabaseConnectivity).
        Client: connectivity.clientClass(Client),
      },
      // Errors of idle pooled connections (how a shutdown announces itself); handled, so no crash.
      poolErrorHandler: (e: unknown) => connectivity.failed(e),
      ...common,
    } as DataSourceOptions);
    await dataSource.initialize();
    return {
      dataSource,
      kind: 'postgres',
      connectivity,
      close: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
      },
    };
  }

  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let release: (() => Promise<void>) | null = null;
  // On disk: the folder PGlite keeps its files in (null: in memory).
  const pgdata = config.dataDir === 'memory://' ? null : join(config.dataDir, 'pgdata');
  if (pgdata === null) {
    Logger.log('embedded PostgreSQL in memory (DATA_DIR=memory://): nothing is kept when the process ends', 'Database');
  } else {
    // Private: 0700 folders, 0600 files (the process umask main.ts sets, and tightenTree below).
    ensurePrivateDir(config.dataDir);
    release = await lockDataDir(config.dataDir);
  }
  // Whether it is new, seen under the lock: no other process is creating it, or has just finished.
  const creating = pgdata !== null && !existsSync(join(pgdata, 'PG_VERSION'));
  if (pgdata !== null) {
    // Said before the wait: PGlite takes seconds to start, more to create a database and migrate it.
    Logger.log(
      !creating
        ? `embedded PostgreSQL in ${config.dataDir}: starting it (a few seconds)`
        : `embedded PostgreSQL in ${config.dataDir}: creating it (a first start takes a few seconds more)`,
      'Database',
    );
  }
  // PGlite on a thread of its own: a slow statement never stalls the sockets (see PgliteThread).
  let pglite: PgliteThread | null = null;
  try {
    // A new database is created in a process of its own, which gives back all that creating it
    // took when it exits (see createPgliteDatabase); this process only opens it, and compiles
    // PGlite for that meanwhile.
    if (creating) await Promise.all([createWhole(pgdata), pgliteModules()]);
    pglite = new PgliteThread(pgdata ? { dataDir: pgdata } : {});
    await pglite.waitReady;
  } catch (e) {
    await pglite?.close();
    await release?.();
    throw e;
  }
  const dataSource = new DataSource({
    type: 'postgres',
    installExtensions: false,
    poolSize: 1,
    // PGlite is one connection: every query inside a transaction must use that transaction's manager.
    extra: { ...createPgConfig(pglite as unknown as Parameters<typeof createPgConfig>[0]), max: 1 },
    ...common,
  } as DataSourceOptions);
  // PGlite wrote the files of a new database, and rewrote some at its start, 0666 whatever the umask.
  const tighten = () => {
    if (config.dataDir !== 'memory://') tightenTree(config.dataDir);
  };
  try {
    tighten();
    await dataSource.initialize();
  } catch (e) {
    await pglite.close();
    await release?.();
    throw e;
  }
  return {
    dataSource,
    kind: 'embedded',
    connectivity,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pglite.close();
      await release?.();
      tighten();
    },
  };
}

/**
 * Creates the database in a folder beside `pgdata` and gives it that name once it is whole, so
 * that `pgdata` holding `PG_VERSION` always means a database that was finished.
 *
 * PGlite writes a new database's files into the folder one by one (2,004 opens), `PG_VERSION`
 * among the last and the configuration files after it, `pg_hba.conf` among them, without which
 * the database does not start. A first start cut in between (killed, the machine stopped) left a
 * folder that every later start took for a database and failed to open, with PGlite's "Cannot
 * read properties of undefined (reading 'call')", until someone deleted it. What a cut creation
 * leaves now is the folder beside, which the next start removes and makes again.
 */
async function createWhole(pgdata: string): Promise<void> {
  const staging = `${pgdata}.creating`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  await createPgliteDatabase(staging);
  // A pgdata without PG_VERSION is no database (PostgreSQL opens none without it): what a cut
  // creation of an older Parley left, or an empty folder.
  if (existsSync(pgdata)) {
    Logger.warn(`${pgdata} holds no finished database (no PG_VERSION): replacing it with the new one`, 'Database');
    rmSync(pgdata, { recursive: true, force: true });
  }
  renameSync(staging, pgdata);
  syncDir(dirname(pgdata)); // the new name on disk, not only in the cache
}

/** Makes a folder's entries (a file renamed into it) durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** user@host:port/database — what to tell a person, never the password. */
function withoutPassword(url: string): string {
  const u = new URL(url);
  return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
}

/** Whether a process of this machine is alive (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder's lock. A lock left by a process of this machine that no longer exists
 * (killed with -9, a power cut) is taken over at once instead of after the 10 s staleness delay.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = join(dataDir, 'pgdata.lock');
  const ownerPath = join(dataDir, 'pgdata.owner');
  const take = () =>
    lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      stale: 10_000,
      update: 2_000,
      onCompromised: (err) => Logger.error(`Lost the lock on ${dataDir}: ${err.message}`, 'Database'),
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (e) {
    if ((e as { code?: string }).code !== 'ELOCKED') throw e;
    let owner: { pid?: number; host?: string } = {};
    try {
      owner = JSON.parse(readFileSync(ownerPath, 'utf8')) as typeof owner;
    } catch {
      // no owner recorded: leave the lock alone
    }
    if (owner.host !== hostname() || !owner.pid || alive(owner.pid)) throw new DataDirLockedError(dataDir);
    Logger.warn(`Taking over the lock of ${dataDir} from process ${owner.pid}, which is gone`, 'Database');
    rmSync(lockPath, { recursive: true, force: true });
    release = await take().catch(() => {
      throw new DataDirLockedError(dataDir);
    });
  }
  writeFileSync(ownerPath, JSON.stringify({ pid: process.pid, host: hostname() }), { mode: 0o600 });
  return release;
}
