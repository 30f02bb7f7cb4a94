import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, freePort } from './support/api-process';
import { remoteApp } from './support/harness';
import { createSession, register } from './support/people';

/**
 * DATA_DIR is the server's alone (the real process, as `npm start` runs it, on the embedded
 * database): started with the common umask 022, everything it creates there is 0700/0600; a
 * DATA_DIR, or a generated JWT secret, that other users of the machine can reach is refused at
 * start with what to run, and left as it was.
 */
/** The embedded database and a generated secret, whatever the CI exports for other suites. */
const embedded = { DATABASE_URL: '', REDIS_URL: '', JWT_SECRET: '' };

/** Every folder and file under `dir` (itself included) with its permission bits. */
function tree(dir: string): Array<{ path: string; mode: number }> {
  const out = [{ path: dir, mode: lstatSync(dir).mode & 0o7777 }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) out.push(...tree(path));
    else out.push({ path, mode: stat.mode & 0o7777 });
  }
  return out;
}

(process.platform === 'win32' ? describe.skip : describe)('data at rest', () => {
  let root: string;
  let umask: number;
  const started: ApiProcess[] = [];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'parley-at-rest-'));
    // What a shell usually has: files 0644 and folders 0755 unless the server decides otherwise.
    umask = process.umask(0o022);
  });
  afterAll(async () => {
    process.umask(umask);
    for (const p of started) await p.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>) => {
    const api = new ApiProcess(await freePort(), { ...embedded, ...env });
    started.push(api);
    await api.start(120_000);
    return api;
  };

  it('creates a fresh DATA_DIR and everything in it for its own user only', async () => {
    const dir = join(root, 'fresh', 'data');
    const api = await start({ DATA_DIR: dir });
    // Something of a session is written (accounts, the session, its audit) before looking.
    const mediator = await register(remoteApp(api.url), 'Private Mediator');
    await createSession(remoteApp(api.url), mediator, ['North']);
    const openToOthers = () => {
      const entries = tree(dir);
      // The database itself is there (hundreds of files), and the generated secret.
      expect(entries.length).toBeGreaterThan(100);
      expect(entries.map((e) => e.path)).toEqual(expect.arrayContaining([join(dir, 'jwt-secret'), join(dir, 'pgdata', 'PG_VERSION')]));
      return entries.filter((e) => (e.mode & 0o077) !== 0).map((e) => `${e.path} ${e.mode.toString(8)}`);
    };
    // While it runs (the migrations created the tables' files after the database opened) and once stopped.
    expect(openToOthers()).toEqual([]);
    await api.stop();
    expect(api.exit).toEqual({ code: 0, signal: null });
    expect(openToOthers()).toEqual([]);
    // The missing parent made on the way is private too.
    expect(lstatSync(join(root, 'fresh')).mode & 0o077).toBe(0);

    // And it starts again on what it made.
    const again = await start({ DATA_DIR: dir });
    await again.stop();
  });

  it('refuses an existing DATA_DIR that other users can enter, says what to run, and leaves it as it was', async () => {
    const dir = mkdtempSync(join(root, 'shared-'));
    chmodSync(dir, 0o755);
    await expect(start({ DATA_DIR: dir })).rejects.toThrow(
      `${dir} is open to other users of this machine (mode 0755); it holds the data of every session and must be the server's alone. Run \`chmod -R go-rwx ${dir}\` and start again.`,
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(lstatSync(dir).mode & 0o777).toBe(0o755);
  });

  it('refuses a generated JWT secret that other users can read', async () => {
    const dir = mkdtempSync(join(root, 'secret-'));
    const file = join(dir, 'jwt-secret');
    writeFileSync(file, 'a'.repeat(64));
    chmodSync(file, 0o644);
    await expect(start({ DATA_DIR: dir })).rejects.toThrow(`${file} is open to other users of this machine (mode 0644)`);
    await expect(start({ DATA_DIR: dir })).rejects.toThrow(`Run \`chmod 600 ${file}\``);
    expect(existsSync(join(dir, 'pgdata'))).toBe(false);
  });
});
