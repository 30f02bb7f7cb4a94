import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

/**
 * The embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly) on a thread of its own.
 *
 * PGlite runs each statement synchronously inside its WebAssembly instance: on the API's event loop,
 * a slow statement (a long history read, a migration, a checkpoint) stalled every socket for as long
 * as it ran, and under load heartbeats were missed and sockets dropped ("ping timeout"). Here the
 * database lives in a worker thread; the event loop only hands it the wire protocol's bytes and
 * gets the backend's messages back, so a statement of seconds costs the sockets nothing.
 *
 * The API side is PGlite's own node-postgres adapter (`createPgConfig`), given an object that speaks
 * like a PGlite instance (`waitReady`, `execProtocolStream`) but forwards to the thread. Statements
 * run one at a time, in the order sent, as they did in-process (PGlite is a single connection).
 */

/** The backend's messages as they cross threads: plain fields (an error's message and stack included). */
type WireMessage = Record<string, unknown> & { name: string };

/** PostgreSQL's two WebAssembly programs, compiled: the server, and initdb (which creates a database). */
interface PgliteModules {
  pglite: CompiledWasm;
  initdb: CompiledWasm;
}

/** A compiled WebAssembly module (a `WebAssembly.Module`; opaque here, only handed to the thread). */
type CompiledWasm = object;
/** Node's WebAssembly global (the server's TypeScript libraries do not declare it). */
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledWasm> } };

/** What the thread understands. */
type Request = { type: 'open'; modules: PgliteModules } | { type: 'exec'; id: number; bytes: Uint8Array } | { type: 'close' };
type Reply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; messages?: WireMessage[]; error?: string }
  | { type: 'closed' };

/**
 * The thread's code, run as a CommonJS script (`eval`): it needs no file of its own next to the
 * compiled API, whether it runs from TypeScript sources (tests, `npm start`) or from `dist/`.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
function plain(m) {
  const out = { ...m, name: m.name };
  if (m instanceof Error) { out.message = m.message; out.stack = m.stack; out.isError = true; }
  // Buffers arrive as Uint8Array; pg reads text-mode rows (strings) only.
  return out;
}
let chain = Promise.resolve();
let db;
parentPort.on('message', (m) => {
  if (m.type === 'open') {
    chain = (async () => {
      try {
        db = new PGlite(workerData.dataDir || undefined, {
          ...workerData.options,
          pgliteWasmModule: m.modules.pglite,
          initdbWasmModule: m.modules.initdb,
        });
        await db.waitReady;
      } catch (e) {
        parentPort.postMessage({ type: 'failed', message: String((e && e.stack) || e) });
        return;
      }
      parentPort.postMessage({ type: 'ready' });
    })();
  } else if (m.type === 'exec') {
    chain = chain.then(async () => {
      try {
        const messages = await db.execProtocolStream(m.bytes, { throwOnError: false });
        parentPort.postMessage({ type: 'result', id: m.id, messages: messages.map(plain) });
      } catch (e) {
        parentPort.postMessage({ type: 'result', id: m.id, error: String((e && e.stack) || e) });
      }
    });
  } else if (m.type === 'close') {
    chain = chain.then(() => db && db.close()).then(
      () => parentPort.postMessage({ type: 'closed' }),
      () => parentPort.postMessage({ type: 'closed' }),
    );
  }
});
`;

/**
 * PostgreSQL's settings for the embedded database. PGlite's defaults (shared_buffers 160 MB,
 * wal_buffers 5 MB, temp_buffers 10 MB) are a server's; Parley's embedded database serves one
 * small deployment, and its files are read through the operating system's cache anyway. Measured
 * on an API restarted on an existing folder: resident memory at idle 590 MB with the defaults,
 * see the README for the figure with these.
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=16MB', 'wal_buffers=1MB', 'temp_buffers=1MB'].join('\n');

/** The creating process's code (`node -e`): PGlite opened on the folder, which runs initdb, then closed. */
const CREATE = `
const [pglite, dataDir, postgresqlconf] = process.argv.slice(1);
// Ends with the process that asked for it (its end closes this pipe): a database half made is not
// finished behind a next start, which would be creating it too.
process.stdin.on('end', () => process.exit(1)).resume();
const { PGlite } = require(pglite);
(async () => {
  const db = new PGlite(dataDir, { postgresqlconf });
  await db.waitReady;
  await db.close();
})().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String((e && e.stack) || e));
    process.exit(1);
  },
);
`;

/**
 * Creates the embedded database in `dataDir` (PostgreSQL's initdb) in a short-lived child process,
 * so that the API's own process never holds what creating it takes.
 *
 * Creating a database is PGlite's heaviest work, and much of the memory it takes outside PGlite's
 * own WebAssembly memory is allocated through the C library (glibc's malloc, in per-thread arenas).
 * Freed afterwards, it stayed resident for the process's life, even once the thread that created
 * the database had ended: 5 s after a first start on an empty DATA_DIR the arenas held 210 MB,
 * after a restart 84 MB (2026-12-05). The whole process, resident at idle: 457–512 MB with the
 * database created on a thread of the server's process, 327–372 MB with it created by this function
 * (see the README).
 */
export function createPgliteDatabase(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CREATE, require.resolve('@electric-sql/pglite'), dataDir, EMBEDDED_SETTINGS], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (e) => reject(new Error(`the embedded database could not be created: ${e.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`the embedded database could not be created (${signal ?? `exit code ${code}`}): ${stderr.trim()}`));
    });
  });
}

/**
 * PGlite's WebAssembly compiled once for the process and kept: every thread instantiates the same
 * compiled code instead of compiling 9 MB of it again and freeing it when the thread ends.
 *
 * Compiling and freeing WebAssembly code on threads that come and go is where V8 (Node 22 to 26)
 * has a known fault: a process that opened and closed many PGlite instances aborted now and then
 * in V8's bookkeeping of code pages ("Check failed: jit_page_->allocations_.erase(addr) == 1" when
 * freeing WebAssembly code; nodejs/node#64500). Parley's CI met it once, in the embedded e2e run,
 * which starts the API on the embedded database dozens of times in one process. With the code
 * compiled once and held by the main thread, a thread that ends frees none of it. Measured, 100
 * opens and closes in one process (in memory, migrations, 50 statements): no abort, 2.9 s an open
 * instead of 3.9 s, resident memory flat at 480 MB (it reached 963 MB after 11 the old way); an API
 * idle after a first start or a restart holds what it held (434 and 295 MB; 430 and 309 before).
 */
let compiled: Promise<PgliteModules> | null = null;
export function pgliteModules(): Promise<PgliteModules> {
  compiled ??= (async () => {
    keepWasmCode();
    const dir = dirname(require.resolve('@electric-sql/pglite'));
    const compile = async (file: string) => wasm.compile(await readFile(join(dir, file)));
    const [pglite, initdb] = await Promise.all([compile('pglite.wasm'), compile('initdb.wasm')]);
    return { pglite, initdb };
  })();
  // A failure (a file missing from the install) is not kept: the next open tries again.
  compiled.catch(() => (compiled = null));
  return compiled;
}

/**
 * V8's setting that stops it freeing WebAssembly code once the code is no longer used, for the
 * whole process (V8's flags are the process's): `--no-wasm-code-gc`.
 *
 * Compiling once (above) took away one way the abort of nodejs/node#64500 came, not all: CI's
 * clean-clone run of 2026-12-04 aborted twice more, in two Jest workers that had opened many
 * threads (`test/headers.e2e-spec.ts`, `test/web-low-bandwidth.e2e-spec.ts`). Its stack, resolved
 * against this Node 24.22.3's symbols: `Runtime_TierUpWasmToJSWrapper` → `~WasmCodeRefScope` →
 * `WasmCode::DecrementRefCount` → `WasmEngine::FreeDeadCode` → `WasmImportWrapperCache::Free` →
 * `WasmCodeAllocator::FreeCode` → `ThreadIsolation::UnregisterWasmAllocation`, CHECK failed: a
 * thread moving a call from WebAssembly to JavaScript onto a compiled wrapper released, as the
 * last reference, a wrapper from the process-wide cache that V8's code collector had found dead,
 * and V8 freed code it no longer had on its books (V8 later rechecks a wrapper it takes from the
 * cache for "dying", crbug 407003348). Every path into that CHECK is code freed once dead; with
 * the collector off, code that dies keeps the reference the collector would have dropped, so none
 * is ever freed one piece at a time. Measured under gdb (6 PGlite threads, two at a time, 60
 * statements each): `UnregisterWasmAllocation` reached 326 times with the collector, 0 without;
 * the same 162 wrappers compiled either way. What it keeps is what it would have freed: code
 * superseded by optimised code and wrappers of threads that ended, bounded by PGlite's functions
 * and import signatures: over 15 opens and closes in one process, resident memory stayed at
 * 388–419 MB (with the collector it went from 297 to 377 MB, rising), and one PGlite thread ran
 * 845, 734 and 921 transactions/s without it against 845, 895 and 856 with it. The module's code
 * as a whole would still be freed with the module (it never is: `compiled` keeps it).
 */
function keepWasmCode(): void {
  setFlagsFromString('--no-wasm-code-gc');
}

export interface PgliteThreadOptions {
  /** The folder PGlite keeps its files in; absent: in memory. */
  dataDir?: string;
  /** PGlite's own options (initialMemory, postgresqlconf…), passed as they are. */
  options?: Record<string, unknown>;
}

/** An error the backend sent (a constraint, a syntax error…), as node-postgres makes it: an Error with the fields. */
function revive(m: WireMessage): WireMessage {
  if (!m.isError) return m;
  const { message, stack, isError: _isError, ...fields } = m as WireMessage & { message: string; stack?: string; isError?: boolean };
  const e = Object.assign(new Error(message), fields);
  if (stack) e.stack = stack;
  return e;
}

/** Extended-protocol messages answered only as part of the statement's sync: Parse, Bind, Describe, Execute, Close. */
const HELD_UNTIL_SYNC = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));

export class PgliteThread {
  private readonly worker: Worker;
  /** The parts of the statement under way, sent with its sync. */
  private held: Uint8Array[] = [];
  /** Round trips to the thread so far (for tests and diagnostics). */
  exchanges = 0;
  private readonly pending = new Map<number, { ok: (m: WireMessage[]) => void; fail: (e: Error) => void }>();
  private next = 1;
  private closing: Promise<void> | null = null;
  /** Set once the statements on their way are done and the database is being closed. */
  private shut = false;
  private ended: Error | null = null;
  readonly waitReady: Promise<void>;

  constructor(opts: PgliteThreadOptions = {}) {
    this.worker = new Worker(THREAD, {
      eval: true,
      workerData: {
        pglite: require.resolve('@electric-sql/pglite'),
        dataDir: opts.dataDir ?? null,
        options: { postgresqlconf: EMBEDDED_SETTINGS, ...opts.options },
      },
    });
    // The thread never keeps the process alive by itself (the app closes it; a test may not).
    this.worker.unref();
    let ready: () => void;
    let failed: (e: Error) => void;
    this.waitReady = new Promise<void>((ok, fail) => {
      ready = ok;
      failed = fail;
    });
    this.worker.on('message', (r: Reply) => {
      if (r.type === 'ready') ready();
      else if (r.type === 'failed') failed(new Error(`the embedded database did not start: ${r.message}`));
      else if (r.type === 'result') {
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        if (r.error) p.fail(new Error(r.error));
        else p.ok(r.messages!.map(revive));
      }
    });
    const end = (e: Error) => {
      this.ended = e;
      failed(e);
      for (const p of this.pending.values()) p.fail(e);
      this.pending.clear();
    };
    this.worker.on('error', (e) => end(e));
    this.worker.on('exit', (code) => end(new Error(`the embedded database's thread exited (${code})`)));
    // The thread starts PGlite once it has the compiled code (it loads PGlite's JavaScript meanwhile).
    pgliteModules().then(
      (modules) => this.worker.postMessage({ type: 'open', modules } satisfies Request),
      (e: unknown) => failed(new Error(`the embedded database did not start: ${String(e)}`)),
    );
  }

  /**
   * PGlite's entry point for node-postgres: the messages the backend answers to these protocol bytes.
   *
   * A statement reaches here in parts, one call each (parse, bind, describe, execute, then sync),
   * and PGlite's adapter makes the next call only once the previous one is answered. The parts
   * before a sync are held here and answered with nothing at once, and go to the thread together
   * with the sync: one crossing of threads per statement instead of five, whose answers node-postgres
   * reads in order as it would from a socket (a server answers parse and bind only as it reaches
   * them, too). Measured at 300 chat posts/s on the embedded database: see the README's benchmark.
   */
  execProtocolStream(bytes: Uint8Array): Promise<WireMessage[]> {
    // Closing: node-postgres's connection may still hand over the rest of a statement it had queued
    // after its client was ended (nobody listens any more). Answered with nothing rather than with an
    // error, which the ended connection would raise as an unhandled 'error' event.
    if (this.shut) return Promise.resolve([]);
    if (this.ended) return Promise.reject(this.ended);
    if (HELD_UNTIL_SYNC.has(bytes[0])) {
      this.held.push(bytes);
      return Promise.resolve([]);
    }
    const whole = this.held.length ? Buffer.concat([...this.held, bytes]) : bytes;
    this.held = [];
    this.exchanges++;
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok, fail });
      this.worker.postMessage({ type: 'exec', id, bytes: whole } satisfies Request);
    });
  }

  /** Closes the database (after the statements already sent), then ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // Statements already on their way finish first: node-postgres sends a statement's parts (parse,
      // bind, execute, sync) one after the other, each once the previous one was answered.
      const deadline = Date.now() + 5_000;
      for (let quiet = 0; quiet < 3 && Date.now() < deadline;) {
        await new Promise((r) => setImmediate(r));
        quiet = this.pending.size === 0 ? quiet + 1 : 0;
      }
      this.shut = true;
      if (!this.ended) {
        await new Promise<void>((ok) => {
          const timer = setTimeout(ok, 30_000);
          this.worker.on('message', (r: Reply) => {
            if (r.type === 'closed') {
              clearTimeout(timer);
              ok();
            }
          });
          this.worker.postMessage({ type: 'close' } satisfies Request);
        });
      }
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
