import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { PgliteThread, createPgliteDatabase, pgliteModules } from './pglite-thread';

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

/**
 * A database on disk is created in a process of its own (see createPgliteDatabase), and opened by a
 * thread of this one; a creation that fails says why.
 */
describe('createPgliteDatabase', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'parley-create-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a database that a thread of this process then opens, and that keeps what it is given', async () => {
    const pgdata = join(dir, 'pgdata');
    await createPgliteDatabase(pgdata);
    expect(existsSync(join(pgdata, 'PG_VERSION'))).toBe(true);
    const query = async (sql: string) => {
      const thread = new PgliteThread({ dataDir: pgdata });
      await thread.waitReady;
      const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
      const pool = new Pool({ ...createPgConfig(thread as unknown as Parameters<typeof createPgConfig>[0]), max: 1 });
      try {
        return (await pool.query(sql)).rows;
      } finally {
        await pool.end();
        await thread.close();
      }
    };
    await query("CREATE TABLE kept AS SELECT 'still here' AS v");
    expect(await query('SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
  }, 120_000);

  it('fails with the reason where the folder cannot be made, and leaves nothing there', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const pgdata = join(dir, 'a-file', 'pgdata');
    await expect(createPgliteDatabase(pgdata)).rejects.toThrow(/the embedded database could not be created \(exit code 1\): .*ENOTDIR/s);
    expect(existsSync(pgdata)).toBe(false);
  }, 120_000);

  it('stops creating when the process that asked for it dies, rather than finishing behind a next start', async () => {
    const pgdata = join(dir, 'pgdata');
    // The server: a process that asks for the database, killed (-9) once its creating process runs.
    const asking = spawn(
      process.execPath,
      [
        '-e',
        "require('ts-node').register({ transpileOnly: true }); require(process.argv[1]).createPgliteDatabase(process.argv[2])",
        join(__dirname, 'pglite-thread.ts'),
        pgdata,
      ],
      { cwd: join(__dirname, '../../../..'), stdio: 'ignore' },
    );
    const creating = () =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d) && Number(d) !== asking.pid)
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(pgdata);
          } catch {
            return false; // ended meanwhile
          }
        });
    const until = async (what: () => boolean, ms: number) => {
      for (const end = Date.now() + ms; !what(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) return false;
      return true;
    };
    expect(await until(() => creating().length === 1, 60_000)).toBe(true);
    asking.kill('SIGKILL');
    // Creating takes seconds (4.8 s alone on the 2-core machine); the orphan ends well before.
    expect(await until(() => creating().length === 0, 5_000)).toBe(true);
    expect(existsSync(join(pgdata, 'PG_VERSION'))).toBe(false);
  }, 120_000);
});

/**
 * No WebAssembly code freed one piece at a time (see keepWasmCode): the path into V8's abort of
 * nodejs/node#64500. Run in a process of its own, with V8 tracing its code collector and made to
 * collect at every chance (`--stress-wasm-code-gc`): two threads one after the other, each with
 * statements enough for V8 to optimise PostgreSQL's hot functions and compile its wrappers. The
 * same work with the collector switched back on after Parley's setting frees code: the trace can
 * see what it must not see.
 */
describe('PgliteThread and V8’s WebAssembly code collector', () => {
  const CHILD = `
    const v8 = require('node:v8');
    require('ts-node').register({ transpileOnly: true });
    const [modulePath, mode] = process.argv.slice(-2);
    const { PgliteThread, pgliteModules } = require(modulePath);
    const { Pool } = require('pg');
    (async () => {
      const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
      await pgliteModules();
      if (mode === 'collector-on') v8.setFlagsFromString('--wasm-code-gc');
      for (let round = 0; round < 2; round++) {
        const t = new PgliteThread();
        await t.waitReady;
        const pool = new Pool({ ...createPgConfig(t), max: 1 });
        await pool.query('CREATE TABLE t (n int, v text)');
        for (let k = 0; k < 20; k++) {
          await pool.query('INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 500) g');
          await pool.query("SELECT count(*) FROM t WHERE v LIKE '%a%'");
        }
        await pool.end();
        await t.close();
      }
      console.log('rounds done');
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const traced = async (mode: 'parley' | 'collector-on') => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--trace-wasm-code-gc', '--stress-wasm-code-gc', '-e', CHILD, '--', join(__dirname, 'pglite-thread.ts'), mode],
      { cwd: join(__dirname, '../../../..'), timeout: 100_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(stdout).toContain('rounds done');
    return {
      collections: stdout.split('\n').filter((l) => l.startsWith('[wasm-gc] Triggering GC')).length,
      freed: stdout.split('\n').filter((l) => /^\[wasm-gc\] Freeing \d+ code object/.test(l)).length,
    };
  };

  it('frees no code with Parley’s setting; the same work with the collector on does', async () => {
    expect(await traced('parley')).toEqual({ collections: 0, freed: 0 });
    const control = await traced('collector-on');
    expect(control.collections).toBeGreaterThan(0);
    expect(control.freed).toBeGreaterThan(0);
  }, 220_000);
});
