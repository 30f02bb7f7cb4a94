import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freeLoopbackPort } from '@parley/media/infrastructure/janus/janus-process';
import { GENEROUS_LIMITS } from './limits';

/** A free loopback port. */
export const freePort = freeLoopbackPort;

/**
 * The API as its own process (what `npm start` runs, from the TypeScript sources), so a test can
 * kill it with SIGKILL and start it again on the same database.
 */
export class ApiProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const root = resolve(__dirname, '..', '..');
    this.output = '';
    this.child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          TS_NODE_PROJECT: 'tsconfig.json',
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: String(this.port),
          LOG_LEVEL: 'warn',
          JANUS_BINARY: 'none',
          ...GENEROUS_LIMITS,
          ...this.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const child = this.child;
      if (!this.running(child)) throw new Error(`API exited (${String(child.exitCode ?? child.signalCode)}):\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/api/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`API did not start within ${timeoutMs} ms:\n${this.output}`);
  }

  /** The process id (while it runs). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  private running(child: ChildProcess | null): boolean {
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** Everything the process printed (stdout and stderr) since its last start. */
  get log(): string {
    return this.output;
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.running(this.child);
  }

  /** How it ended (null while it runs or before it started). */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | null {
    const child = this.child;
    if (!child || this.running(child)) return null;
    return { code: child.exitCode, signal: child.signalCode };
  }

  /** Sends a signal (SIGTERM, SIGSTOP…) without waiting. */
  signal(sig: NodeJS.Signals): void {
    if (this.child && this.running(this.child)) this.child.kill(sig);
  }

  /** Resolves with how the process ended, or rejects after `timeoutMs`. */
  async exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child) throw new Error('not started');
    if (!this.running(child)) return { code: child.exitCode, signal: child.signalCode };
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
          child.once('exit', (code, signal) => r({ code, signal })),
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`API still running after ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running(child)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running(child)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
    await this.kill();
  }
}
