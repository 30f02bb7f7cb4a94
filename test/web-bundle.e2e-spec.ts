import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { resolve } from 'node:path';
import { startApp, type TestApp } from './support/harness';
import { UNDER_CI } from './support/needs';
import { buildWebClient, ROOT } from './support/web-client';

interface Sized {
  file: string;
  gzip: number;
}
interface Report {
  budget: number;
  total: number;
  withinBudget: boolean;
  initial: Sized[];
  lazy: Sized[];
  respondent: { budget: number; total: number; withinBudget: boolean; files: Sized[] };
}

const DIST = resolve(ROOT, 'dist', 'web');
const REPORT = resolve(ROOT, 'apps', 'web', 'build', 'bundle-report.mjs');

/**
 * The page's first download stays small enough for a 64 kbit/s link: the build's own report
 * (apps/web/build/bundle-report.mjs, its budget stated there) over the client CI built before the
 * tests (.ci/run: npm run build:web). Under CI a missing build is a failure; elsewhere the suite
 * builds it.
 */
describe('the web client bundle', () => {
  let report: Report;
  let status: number | null;
  let text: string;

  beforeAll(() => {
    if (!existsSync(resolve(DIST, '.vite', 'manifest.json'))) {
      if (UNDER_CI) throw new Error(`no build with a manifest in ${DIST}: CI builds the client (npm run build:web) before the tests`);
      buildWebClient();
    }
    const run = spawnSync(process.execPath, [REPORT, DIST, '--json'], { cwd: ROOT, encoding: 'utf8' });
    status = run.status;
    report = JSON.parse(run.stdout) as Report;
    text = execFileSync(process.execPath, [REPORT, DIST], { cwd: ROOT, encoding: 'utf8' });
  });

  it('the initial download (gzip) is under the stated budget, and the report says so with exit 0', () => {
    expect(report.total).toBeGreaterThan(0);
    expect(report.total).toBeLessThanOrEqual(report.budget);
    expect(report.withinBudget).toBe(true);
    expect(status).toBe(0);
    expect(text).toMatch(/total, budget \d+\.\d kB/);
  });

  it('the entry chunk, its CSS and index.html are counted', () => {
    const files = report.initial.map((f) => f.file);
    expect(files).toContain('index.html');
    expect(files.some((f) => /^assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    // What the report counts is what index.html asks for: its script, and every chunk it preloads.
    const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
    for (const [, asset] of html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)) expect(files).toContain(asset);
  });

  it('the service worker precaches exactly the files the build wrote (no source map, no manifest), versioned by them', () => {
    const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8');
    const listed = (JSON.parse(/const PRECACHE = (\[[^\]]*\]);/.exec(sw)![1]) as string[]).sort();
    const built = [...report.initial, ...report.lazy, ...report.respondent.files]
      .map((f) => `/${f.file}`)
      .filter((f) => f !== '/index.html' && f !== '/consult.html');
    expect(listed).toEqual(built.sort());
    expect(sw).toMatch(/const VERSION = "[0-9a-f]{16}";/);
  });

  it.each(['media-engine', 'media-panel', 'draft-panel'])('%s is loaded when used, never in the first download', (chunk) => {
    const named = (f: Sized) => new RegExp(`^assets/${chunk}-[\\w-]+\\.js$`).test(f.file);
    expect(report.lazy.filter(named)).toHaveLength(1);
    expect(report.initial.filter(named)).toHaveLength(0);
  });

  it("the respondent's page (consult.html) is counted apart, within its own budget, and shares no file with the app", () => {
    const files = report.respondent.files.map((f) => f.file);
    expect(files).toContain('consult.html');
    expect(files.some((f) => /^assets\/consult-[\w-]+\.js$/.test(f))).toBe(true);
    expect(report.respondent.total).toBeGreaterThan(0);
    expect(report.respondent.total).toBeLessThanOrEqual(report.respondent.budget);
    const app = new Set(report.initial.map((f) => f.file));
    expect(files.filter((f) => app.has(f))).toEqual([]);
    // What the report counts is what consult.html asks for.
    const html = readFileSync(resolve(DIST, 'consult.html'), 'utf8');
    for (const [, asset] of html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)) expect(files).toContain(asset);
  });

  describe('as the server sends it', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startApp({ JANUS_BINARY: 'none', WEB_DIR: DIST });
    });
    afterAll(() => app?.close());

    /** One GET as a browser sends it; the bytes counted as they come off the socket (not decoded). */
    const wire = (path: string, encoding: string | null) =>
      new Promise<{ status: number; encoding: string | null; bytes: number }>((ok, ko) => {
        const req = get(`${app.url}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          let bytes = 0;
          res.on('data', (d: Buffer) => (bytes += d.length));
          res.on('end', () => ok({ status: res.statusCode!, encoding: (res.headers['content-encoding'] as string) ?? null, bytes }));
        });
        req.on('error', ko);
      });

    it('the initial download travels compressed (gzip, or Brotli when asked), within the budget on the wire; a client that asks for none gets the file as it is', async () => {
      let total = 0;
      for (const f of report.initial) {
        const path = f.file === 'index.html' ? '/' : `/${f.file}`;
        const r = await wire(path, 'gzip, deflate');
        expect([path, r.status]).toEqual([path, 200]);
        // Tiny files stay as they are (under compression's 1 kB threshold).
        if (f.gzip > 1024) expect([path, r.encoding]).toEqual([path, 'gzip']);
        total += r.bytes;
      }
      expect(total).toBeLessThanOrEqual(report.budget);
      const entry = report.initial.find((f) => /^assets\/index-[\w-]+\.js$/.test(f.file))!;
      // A browser that takes Brotli (Chromium does) gets it.
      expect((await wire(`/${entry.file}`, 'gzip, deflate, br, zstd')).encoding).toBe('br');
      const plain = await wire(`/${entry.file}`, null);
      expect(plain.encoding).toBeNull();
      expect(plain.bytes).toBe(readFileSync(resolve(DIST, entry.file)).length);
    });
  });
});
