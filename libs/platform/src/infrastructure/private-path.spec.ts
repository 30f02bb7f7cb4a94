import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotPrivateError, assertPrivate, ensurePrivateDir, tightenTree } from './private-path';

const unix = process.platform !== 'win32';

(unix ? describe : describe.skip)('private paths', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'parley-private-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing folder, and its missing parents, as 0700 whatever the umask', () => {
    const previous = process.umask(0o022);
    try {
      ensurePrivateDir(join(root, 'a', 'data'));
    } finally {
      process.umask(previous);
    }
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'a', 'data')).mode & 0o777).toBe(0o700);
  });

  it('accepts an existing 0700 folder and a 0600 file', () => {
    chmodSync(root, 0o700);
    expect(() => ensurePrivateDir(root)).not.toThrow();
    const file = join(root, 'secret');
    writeFileSync(file, 'x', { mode: 0o600 });
    expect(() => assertPrivate(file)).not.toThrow();
  });

  it.each(['755', '750', '701', '710'])('refuses an existing folder of mode %s and says what to run', (octal) => {
    const mode = parseInt(octal, 8);
    chmodSync(root, mode);
    let error: unknown;
    try {
      ensurePrivateDir(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotPrivateError);
    expect((error as Error).message).toContain(`${root} is open to other users of this machine (mode 0${octal})`);
    expect((error as Error).message).toContain(`Run \`chmod -R go-rwx ${root}\``);
    // Refused, not repaired behind the operator's back.
    expect(statSync(root).mode & 0o777).toBe(mode);
  });

  it('refuses a file readable by others, with the fix it is given', () => {
    const file = join(root, 'secret');
    writeFileSync(file, 'x');
    chmodSync(file, 0o644);
    expect(() => assertPrivate(file, `chmod 600 ${file}`)).toThrow(`Run \`chmod 600 ${file}\``);
  });

  it('takes group and other permissions off everything under a folder, keeping the owner permissions', () => {
    mkdirSync(join(root, 'pgdata', 'base'), { recursive: true, mode: 0o777 });
    chmodSync(join(root, 'pgdata'), 0o755);
    chmodSync(join(root, 'pgdata', 'base'), 0o777);
    writeFileSync(join(root, 'pgdata', 'base', '1259'), 'x');
    chmodSync(join(root, 'pgdata', 'base', '1259'), 0o666);
    writeFileSync(join(root, 'pgdata', 'read-only'), 'x');
    chmodSync(join(root, 'pgdata', 'read-only'), 0o444);
    tightenTree(join(root, 'pgdata'));
    expect(statSync(join(root, 'pgdata')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'pgdata', 'base')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'pgdata', 'base', '1259')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'pgdata', 'read-only')).mode & 0o777).toBe(0o400);
  });
});
