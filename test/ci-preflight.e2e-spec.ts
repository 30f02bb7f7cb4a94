import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';

/**
 * CI never passes by skipping (issue 18): `scripts/ci-preflight.sh`, which `.ci/run` runs before
 * any test, fails when the machine lacks what a suite needs, naming each suite that would have
 * skipped. Run here with a PATH that holds everything this machine has except `janus` (and
 * `apt-get`, with PARLEY_CI_NO_APT=1 besides, so nothing gets installed). Its table of needs is
 * also held to what each suite asks `describeWhen` for (test/support/needs.ts), and a suite that
 * lacks something is seen to fail under CI=true, with the reason, rather than skip.
 */
const ROOT = resolve(__dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'ci-preflight.sh');

/** The script's table: suite name → its needs. */
function table(): Map<string, string[]> {
  const out = spawnSync('bash', [SCRIPT, '--list'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  return new Map(
    out.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [suite, needs] = line.split(': ');
        return [suite, needs.split(' ').sort()];
      }),
  );
}

/** A folder of links to every program on this PATH but the hidden ones. */
function pathWithout(hidden: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-path-'));
  for (const d of (process.env.PATH ?? '').split(delimiter).filter((p) => p && existsSync(p))) {
    for (const name of readdirSync(d)) {
      if (hidden.includes(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(d, name), join(dir, name));
    }
  }
  return dir;
}

describe('the CI preflight', () => {
  let bin: string;
  let run: SpawnSyncReturns<string>;

  beforeAll(() => {
    bin = pathWithout(['janus', 'apt-get', 'apt']);
    run = spawnSync(join(bin, 'bash'), [SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PATH: bin, PARLEY_CI_NO_APT: '1' },
      timeout: 60_000,
    });
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('fails without janus, naming janus as missing and how to get it', () => {
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('preflight: janus: MISSING (apt-get install janus)');
    expect(run.stdout).not.toContain('installing');
  });

  it('names every suite that needs janus as one that would skip, and no other suite for janus', () => {
    const named = new Map(
      [...run.stdout.matchAll(/^preflight: {3}test\/([\w-]+)\.e2e-spec\.ts \(missing: ([\w ]+)\)$/gm)].map(([, suite, missing]) => [
        suite,
        missing.split(' '),
      ]),
    );
    const needJanus = [...table()]
      .filter(([, needs]) => needs.includes('janus'))
      .map(([suite]) => suite)
      .sort();
    expect(needJanus).toEqual([
      'media-conformance',
      'media-instances',
      'media-interpretation',
      'media-janus',
      'media-recovery',
      'media-signalling',
      'web-interpretation',
      'web-low-bandwidth',
      'web-mediation',
      'web-resilience',
      'web-screen-share',
      'web-thin-link',
    ]);
    expect(
      [...named]
        .filter(([, missing]) => missing.includes('janus'))
        .map(([suite]) => suite)
        .sort(),
    ).toEqual(needJanus);
  });

  it('lists the suites of issue 14 with what they need: both SFUs for the conformance suite and the whole mediation', () => {
    expect(
      Object.fromEntries(
        [...table()].filter(([suite]) => /^(media-conformance|media-instances|mediasoup-adapter|web-mediation)$/.test(suite)),
      ),
    ).toEqual({
      'media-conformance': ['chromium', 'janus', 'mediasoup', 'namespace'],
      'media-instances': ['chromium', 'janus', 'namespace', 'pgCluster', 'redisServer'],
      'mediasoup-adapter': ['mediasoup'],
      'web-mediation': ['chromium', 'janus', 'mediasoup', 'namespace'],
    });
    expect([...table().keys()]).not.toContain('media-browser');
  });

  it('lists for each suite exactly the needs the suite asks describeWhen for', () => {
    const asked = new Map<string, string[]>();
    for (const file of readdirSync(join(ROOT, 'test')).filter((f) => f.endsWith('.e2e-spec.ts') && f !== basename(__filename))) {
      const source = readFileSync(join(ROOT, 'test', file), 'utf8');
      if (!source.includes('describeWhen(')) continue;
      asked.set(file.replace('.e2e-spec.ts', ''), [...new Set([...source.matchAll(/\blacks\.(\w+)\(\)/g)].map((m) => m[1]))].sort());
    }
    expect(asked.size).toBeGreaterThan(0);
    expect(Object.fromEntries(table())).toEqual(Object.fromEntries(asked));
  });
});

describe('a suite that lacks what it needs, under CI=true', () => {
  it('fails with the reason instead of skipping', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    delete env.TEST_DATABASE_URL;
    delete env.TEST_REDIS_URL;
    const jest = ['--experimental-vm-modules', join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js')];
    const run = spawnSync(
      process.execPath,
      [...jest, '--selectProjects', 'servers', '--runTestsByPath', 'test/multi-instance.e2e-spec.ts'],
      {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'multi-instance.e2e-spec.ts would skip, and under CI=true no suite may: TEST_DATABASE_URL and TEST_REDIS_URL are not set',
    );
    expect(run.stderr).toMatch(/Tests: +1 failed, 1 total/);
  });
});
