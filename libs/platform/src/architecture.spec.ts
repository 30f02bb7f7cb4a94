import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

/**
 * Issue 17: application code (use cases, views, schedulers) speaks the domain and asks stores for
 * what it needs; SQL, the ORM and the driver live in `infrastructure/`. A lib offers other libs its
 * domain, its ports and its Nest module, never its tables.
 */
const libDirs = readdirSync(LIBS).filter((lib) => {
  try {
    return statSync(join(LIBS, lib, 'src')).isDirectory();
  } catch {
    return false;
  }
});
const filesOf = (dir: string) => {
  try {
    return filesUnder(dir);
  } catch {
    return [];
  }
};
/** Module specifiers (static and dynamic imports, re-exports) and the names imported from each. */
const importsOf = (source: string): Array<{ from: string; names: string[] }> =>
  [...source.matchAll(/(?:import|export)\s+(?:type\s+)?(?:\{([^}]*)\}|[\w*\s,]+?)?\s*from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map(
    (m) => ({
      from: m[2] ?? m[3],
      names: (m[1] ?? '')
        .split(',')
        .map((n) =>
          n
            .replace(/^\s*type\s+/, '')
            .split(/\s+as\s+/)[0]
            .trim(),
        )
        .filter(Boolean),
    }),
  );

const SQL_MODULES = /^(typeorm|pg|pg-.*|@electric-sql\/.*)$/;
const SQL_NAMES = new Set(['DataSource', 'EntityManager', 'preparedQuery', 'managerOf', 'TypeOrmUnitOfWork']);
const applicationFiles = libDirs.flatMap((lib) =>
  filesOf(join(LIBS, lib, 'src', 'application')).map((f) => [`${lib}/${f.slice(join(LIBS, lib, 'src').length + 1)}`, f]),
);

describe('application folders', () => {
  it('exist for the bounded contexts', () => {
    expect(applicationFiles.length).toBeGreaterThanOrEqual(20);
  });
  it.each(applicationFiles)('%s holds no SQL, ORM or driver, and no infrastructure of its own', (_name, file) => {
    const offending = importsOf(readFileSync(file, 'utf8')).flatMap(({ from, names }) => [
      ...(SQL_MODULES.test(from) ? [from] : []),
      ...(/(^|\/)infrastructure(\/|$)/.test(from) ? [from] : []),
      ...names.filter((n) => SQL_NAMES.has(n) || /Entity$/.test(n)).map((n) => `${n} from ${from}`),
    ]);
    expect(offending).toEqual([]);
  });
});

describe('what a lib takes from another', () => {
  const everyLibFile = libDirs.flatMap((lib) => filesOf(join(LIBS, lib, 'src')).map((f) => [lib, f.slice(LIBS.length + 1), f] as const));
  it.each(everyLibFile.map(([lib, name, file]) => [name, lib, file]))(
    '%s takes no other lib’s infrastructure or tables',
    (_name, lib, file) => {
      const offending = importsOf(readFileSync(file, 'utf8')).flatMap(({ from, names }) => {
        // The lib an import reaches: `@parley/<lib>[/…]`, or a relative path resolved from this file.
        const named = /^@parley\/([\w-]+)(\/.*)?$/.exec(from);
        const resolved = from.startsWith('.') ? resolve(dirname(file), from) : null;
        const reached = named
          ? { lib: named[1], path: named[2] ?? '' }
          : resolved?.startsWith(LIBS + '/')
            ? { lib: resolved.slice(LIBS.length + 1).split('/')[0], path: resolved }
            : null;
        if (!reached || reached.lib === lib || ['contracts', 'platform'].includes(reached.lib)) return [];
        // One schema: an entity may name another lib's entity for its foreign key, and nothing else may.
        if (/\/infrastructure\/persistence\/[\w.-]*entit(y|ies)\.ts$/.test(file)) return [];
        return [
          ...(/(^|\/)infrastructure(\/|$)/.test(reached.path) ? [from] : []),
          ...names.filter((n) => /Entity$/.test(n)).map((n) => `${n} from ${from}`),
        ];
      });
      expect(offending).toEqual([]);
    },
  );
});
