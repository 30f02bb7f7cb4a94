import { Pool } from 'pg';
import { PgliteThread } from './pglite-thread';

/**
 * The embedded database's thread as node-postgres uses it: statements in the extended protocol
 * (what TypeORM and `preparedQuery` send) cross to the thread once each, with their sync; an error
 * in one statement fails that statement alone.
 */
describe('PgliteThread', () => {
  let thread: PgliteThread;
  let pool: Pool;
  beforeAll(async () => {
    thread = new PgliteThread();
    await thread.waitReady;
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    pool = new Pool({ ...createPgConfig(thread as unknown as Parameters<typeof createPgConfig>[0]), max: 1 });
  }, 60_000);
  afterAll(async () => {
    await pool.end();
    await thread.close();
  });

  it('answers a parameterised statement, named or not, in one round trip to the thread', async () => {
    await pool.query('CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL)');
    let before = thread.exchanges;
    await pool.query('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
    expect(thread.exchanges - before).toBe(1);
    before = thread.exchanges;
    const named = await pool.query({ name: 'by-id', text: 'SELECT label FROM t WHERE id = $1', values: [1] });
    expect(named.rows).toEqual([{ label: 'one' }]);
    expect(thread.exchanges - before).toBe(1);
    before = thread.exchanges;
    expect((await pool.query({ name: 'by-id', text: 'SELECT label FROM t WHERE id = $1', values: [2] })).rows).toEqual([]);
    expect(thread.exchanges - before).toBe(1);
  });

  it('fails a bad statement alone, and the next one works', async () => {
    await expect(pool.query('INSERT INTO t VALUES ($1, $2)', [1, 'again'])).rejects.toMatchObject({ code: '23505' });
    await expect(pool.query('SELEC $1::int', [1])).rejects.toMatchObject({ code: '42601' });
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE label = $1', ['one'])).rows).toEqual([{ n: 1 }]);
  });

  it('keeps a transaction’s statements together and in order', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO t VALUES ($1, $2)', [2, 'two']);
      await expect(client.query('INSERT INTO t VALUES ($1, $2)', [2, 'dup'])).rejects.toMatchObject({ code: '23505' });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await pool.query('SELECT id FROM t ORDER BY id')).rows).toEqual([{ id: 1 }]);
  });
});
