/**
 * Prints the SQL that would bring a fresh database to the entities' schema: the starting point of
 * a new migration. Usage: DATABASE_URL=postgres://… npm run db:diff
 * (it creates and drops a scratch database next to the one named).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/api/src/entities';
import { MIGRATIONS } from '../apps/api/src/migrations';

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const scratch = `parley_schema_diff_${process.pid}`;
  const admin = new DataSource({ type: 'postgres', url: base });
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = new URL(base);
  url.pathname = `/${scratch}`;
  const ds = new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    installExtensions: false,
  });
  try {
    await ds.initialize();
    await ds.runMigrations();
    const log = await ds.driver.createSchemaBuilder().log();
    console.log(log.upQueries.length ? log.upQueries.map((q) => `${q.query};`).join('\n') : '-- in sync: no change');
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.destroy();
  }
}

void main();
