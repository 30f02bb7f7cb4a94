import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** House rule: domain code is plain TypeScript, free of framework, ORM and transport imports. */
const LIBS = resolve(__dirname, '..', '..');
const FORBIDDEN = /from '(@nestjs\/[^']+|typeorm|socket\.io[^']*|pg|@electric-sql\/[^']+|@parley\/platform)'/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const domainDirs = readdirSync(LIBS)
  .map((lib) => join(LIBS, lib, 'src', 'domain'))
  .filter((d) => {
    try {
      return statSync(d).isDirectory();
    } catch {
      return false;
    }
  });

describe('domain folders', () => {
  it('exist for the bounded contexts', () => {
    expect(domainDirs.length).toBeGreaterThanOrEqual(3);
  });
  it.each(domainDirs.flatMap(filesUnder).map((f) => [f.slice(LIBS.length + 1), f]))('%s imports no framework', (_name, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(FORBIDDEN);
  });
});
