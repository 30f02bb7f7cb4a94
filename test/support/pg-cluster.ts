import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgBin } from './needs';

/**
 * A throw-away PostgreSQL cluster of a suite's own (Debian's initdb/pg_ctl, a temp folder, a free
 * loopback port), never the machine's: a suite may stop and start it under the API. As root, it runs
 * as the `postgres` user (PostgreSQL refuses root). The suite asks `lacks.pgCluster()` first.
 */
export class PgCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  readonly data = join(this.dir, 'data');
  private readonly bin = findPgBin();

  constructor(readonly port: number) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(tool: string, args: string[]): string {
    if (!this.bin) throw new Error('no initdb/pg_ctl on this machine');
    const asRoot = process.getuid?.() === 0;
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(this.bin, tool), ...args]] : [join(this.bin, tool), args];
    return execFileSync(cmd, argv, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  }

  init(): void {
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.dir, uid, gid);
    }
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.dir} -c fsync=off`,
      'start',
    ]);
  }

  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** Stops it if it runs and removes its folder; never throws (afterAll). */
  destroy(): void {
    try {
      if (existsSync(join(this.data, 'postmaster.pid'))) this.stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
