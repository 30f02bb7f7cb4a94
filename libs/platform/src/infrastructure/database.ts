import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { AppConfig } from '../config/app-config';

export interface DatabaseHandle {
  dataSource: DataSource;
  kind: 'postgres' | 'embedded';
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
  if (config.databaseUrl) {
    const dataSource = new DataSource({
      type: 'postgres',
      url: config.databaseUrl,
      installExtensions: false,
      extra: { max: 10, connectionTimeoutMillis: 5000 },
      ...common,
    } as DataSourceOptions);
    await dataSource.initialize();
    return { dataSource, kind: 'postgres', close: async () => { if (dataSource.isInitialized) await dataSource.destroy(); } };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let release: (() => Promise<void>) | null = null;
  let pglite: InstanceType<typeof PGlite>;
  if (config.dataDir === 'memory://') {
    pglite = new PGlite();
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const pgdata = join(config.dataDir, 'pgdata');
    mkdirSync(pgdata, { recursive: true });
    try {
      release = await lockfile.lock(pgdata, {
        lockfilePath: join(config.dataDir, 'pgdata.lock'),
        stale: 10_000,
        update: 2_000,
        onCompromised: (err) => Logger.error(`Lost the lock on ${pgdata}: ${err.message}`, 'Database'),
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(config.dataDir);
      throw e;
    }
    pglite = new PGlite(pgdata);
  }
  await pglite.waitReady;
  const dataSource = new DataSource({
    type: 'postgres',
    installExtensions: false,
    poolSize: 1,
    // PGlite is one connection: every query inside a transaction must use that transaction's manager.
    extra: { ...createPgConfig(pglite), max: 1 },
    ...common,
  } as DataSourceOptions);
  try {
    await dataSource.initialize();
  } catch (e) {
    await pglite.close();
    await release?.();
    throw e;
  }
  return {
    dataSource,
    kind: 'embedded',
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pglite.close();
      await release?.();
    },
  };
}
