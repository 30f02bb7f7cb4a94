import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { buildWebClient, launchChromium, ROOT, SCREENSHOTS, takeCspViolations } from './support/web-client';

// Browser globals, for the functions this file runs inside pages.
declare const navigator: any;
declare const caches: any;

/** The files the built service worker precaches (dist/web/sw.js), as the build wrote them. */
const precacheOf = (sw: string): string[] => JSON.parse(/const PRECACHE = (\[[^\]]*\]);/.exec(sw)![1]) as string[];

/**
 * Repeat visits come from the browser: the service worker (apps/web/build/service-worker.js)
 * installed by the first visit keeps every hashed file of the build, answers them cache first,
 * never keeps the API or Socket.IO, and gives the page's shell when the server cannot be reached.
 * Headless Chromium inside scripts/media-netns.sh; the API runs without an SFU.
 */
describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
)('the web client cached for repeat visits (service worker)', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let stopped = false;
  let precache: string[];

  beforeAll(async () => {
    buildWebClient();
    precache = precacheOf(readFileSync(resolve(ROOT, 'dist', 'web', 'sw.js'), 'utf8'));
    app = await startApp({ JANUS_BINARY: 'none' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    // The first visit: the page, then its worker installed and in control (it claims the page).
    await page.goto(app.url);
    await page.getByLabel('E-mail').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 100));
    });
  });
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (!stopped) await app?.close();
  });

  it('the worker is served from the root, never cached by HTTP, and the page allows it (no CSP refusal)', async () => {
    const res = await app.http().get('/sw.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(`${app.url}/sw.js`);
    expect(takeCspViolations()).toEqual([]);
  });

  it('the first visit stores every hashed file of the build and the shell, in one cache named after the build, and nothing of /api', async () => {
    expect(precache.length).toBeGreaterThan(3);
    expect(precache.every((f) => f.startsWith('/assets/') && !f.endsWith('.map'))).toBe(true);
    const stored = await page.evaluate(async () => {
      const names: string[] = await caches.keys();
      const out: Record<string, string[]> = {};
      for (const name of names) out[name] = (await (await caches.open(name)).keys()).map((r: { url: string }) => new URL(r.url).pathname);
      return out;
    });
    const names = Object.keys(stored);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^parley-[0-9a-f]{16}$/);
    const paths = stored[names[0]];
    expect([...paths].sort()).toEqual(expect.arrayContaining([...precache, '/index.html']));
    expect(paths.filter((p) => /^\/(api|socket\.io)(\/|$)/.test(p))).toEqual([]);
  });

  it('a second visit takes every script and stylesheet from the worker', async () => {
    const assets: Array<{ url: string; fromWorker: boolean }> = [];
    const seen = (r: import('playwright-core').Response) => {
      if (new URL(r.url()).pathname.startsWith('/assets/')) assets.push({ url: r.url(), fromWorker: r.fromServiceWorker() });
    };
    page.on('response', seen);
    await page.reload();
    await page.getByLabel('E-mail').waitFor();
    page.off('response', seen);
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.filter((a) => !a.fromWorker)).toEqual([]);
  });

  it('with the server gone, a reload still shows the page (the cached shell and files)', async () => {
    await app.close();
    stopped = true;
    await page.reload();
    await page.getByLabel('E-mail').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: resolve(SCREENSHOTS, 'offline-shell.png') });
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
  });
});
