import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * DATA_DIR (the embedded database: every session's chat, shuttle messages, proposals, audit and
 * password hashes; the generated JWT secret) is the server's alone: a folder or file of it that
 * another user of the machine may read, write or enter is refused at start rather than used.
 */
export class NotPrivateError extends Error {
  constructor(
    readonly path: string,
    readonly mode: number,
    fix: string,
  ) {
    super(
      `${path} is open to other users of this machine (mode ${mode.toString(8).padStart(4, '0')}); it holds the data of ` +
        `every session and must be the server's alone. Run \`${fix}\` and start again.`,
    );
    this.name = 'NotPrivateError';
  }
}

/** Refuses a folder or file whose group or other users have any permission (mode & 0o077). */
export function assertPrivate(path: string, fix = `chmod -R go-rwx ${path}`): void {
  // Windows keeps no Unix permission bits: what it reports says nothing about who may read.
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o7777;
  if ((mode & 0o077) !== 0) throw new NotPrivateError(path, mode, fix);
}

/** Creates the folder (and its missing parents) as 0700 when absent, and refuses an existing one open to others. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivate(dir);
}

/**
 * Takes group and other permissions off every folder and file under `dir` (symbolic links are left
 * alone). PGlite writes the files it unpacks when it creates a database (and some it rewrites at
 * each start) 0666 whatever the process umask: this pass after it opened makes them 0600.
 */
export function tightenTree(dir: string): void {
  if (process.platform === 'win32') return;
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile (a lock released)
    throw e;
  }
  if (stat.isSymbolicLink()) return;
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, stat.mode & 0o7700);
  if (stat.isDirectory()) for (const name of readdirSync(dir)) tightenTree(join(dir, name));
}
