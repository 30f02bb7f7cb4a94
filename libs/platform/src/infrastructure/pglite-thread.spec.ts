import { Pool } from 'pg';
import { PgliteThread, pgliteModules } from './pglite-thread';

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

/**
 * Every thread runs the code compiled once for the process (see pgliteModules): threads opened one
 * after the other, and side by side, each get a database of their own, and closing one (its thread
 * ended) leaves the shared code working for the others and for the next.
 */
describe('PgliteThread sharing the compiled code', () => {
  const count = async (thread: PgliteThread) => {
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const pool = new Pool({ ...createPgConfig(thread as unknown as Parameters<typeof createPgConfig>[0]), max: 1 });
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS mine (n int)');
      await pool.query('INSERT INTO mine VALUES (1)');
      return (await pool.query('SELECT count(*)::int AS n FROM mine')).rows[0].n as number;
    } finally {
      await pool.end();
    }
  };

  it('compiles once for the process', async () => {
    const first = await pgliteModules();
    expect(await pgliteModules()).toBe(first);
    expect(Object.prototype.toString.call(first.pglite)).toBe('[object WebAssembly.Module]');
  });

  it('gives each thread its own database, and survives a thread ending beside another', async () => {
    const a = new PgliteThread();
    const b = new PgliteThread();
    await Promise.all([a.waitReady, b.waitReady]);
    expect(await count(a)).toBe(1);
    expect(await count(a)).toBe(2);
    expect(await count(b)).toBe(1);
    // a's thread ends while b runs a statement; b goes on.
    const during = count(b);
    await a.close();
    expect(await during).toBe(2);
    expect(await count(b)).toBe(3);
    await b.close();
    const c = new PgliteThread();
    await c.waitReady;
    expect(await count(c)).toBe(1);
    await c.close();
  }, 120_000);
});
