import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement on the hot path as a named prepared statement, straight on the driver's pool:
 * PostgreSQL parses and plans it once per connection instead of on every message, and TypeORM's
 * per-query bookkeeping is skipped. Outside a transaction only (it takes any free connection).
 */
const names = new Map<string, string>();

export async function preparedQuery<T>(dataSource: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  let name = names.get(text);
  if (!name) names.set(text, (name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}
