import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import { chatUsable, openSession } from './support/shaped-link';
import { buildWebClient, launchChromium, SCREENSHOTS } from './support/web-client';

/**
 * The parts of a session page that load on their own (the media engine, the media panel, the live
 * draft: apps/web/src/lazy/) fail alone when their code does not arrive — a connection dropping on a
 * slow link, or a new build replacing the one the page came from — instead of blanking the page:
 * the part says so with *Try again*, the room chat and the text go on, and *Try again* fetches the
 * code again. Headless Chromium inside scripts/media-netns.sh, the chunk's request failed by the
 * browser context (no service worker: it would answer from its cache); the API runs without an SFU
 * (the media panel then shows why, which is enough to see it loaded).
 */
describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
)('a part of the session page whose code does not arrive', () => {
  let app: TestApp;
  let m: Mediation;
  let browser: Browser;

  beforeAll(async () => {
    buildWebClient();
    app = await startApp({ JANUS_BINARY: 'none' });
    m = await startMediation(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    m?.close();
    await app?.close();
  });

  /** Ana (North's head, in North's caucus) opens the session with the chunks matching `chunk` failing; returns her page and how to let them through. */
  async function withFailing(
    chunk: RegExp,
  ): Promise<{ page: Page; context: BrowserContext; failed: string[]; errors: string[]; heal: () => Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', serviceWorkers: 'block' });
    const failed: string[] = [];
    const fail = (route: Route) => {
      failed.push(new URL(route.request().url()).pathname);
      return route.abort('internetdisconnected');
    };
    await context.route(chunk, fail);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openSession(page, app.url, m.a1, m.session.title, 30_000);
    return { page, context, failed, errors, heal: () => context.unroute(chunk, fail) };
  }

  /** The page is still the session page: the room chat takes input and the text tab opens. */
  async function stillUsable(page: Page): Promise<void> {
    await chatUsable(page, Date.now(), 15_000);
    await page.getByRole('tab', { name: 'Negotiating text' }).click();
    await page.getByRole('tabpanel').first().waitFor({ state: 'visible', timeout: 5_000 });
  }

  /** A part of the media panel failing (`chunk`): the panel says so, the page goes on, and Try again brings the panel. */
  async function mediaFailsAlone(chunk: RegExp, shot: string): Promise<void> {
    const { page, context, failed, errors, heal } = await withFailing(chunk);
    try {
      const notice = page.getByTestId('media-failed');
      await notice.waitFor({ state: 'visible', timeout: 15_000 });
      expect(failed.length).toBeGreaterThan(0);
      expect(await notice.getByRole('alert').textContent()).toContain('did not load');
      await stillUsable(page);
      await page.screenshot({ path: `${SCREENSHOTS}/${shot}`, fullPage: true });
      await heal();
      await notice.getByTestId('chunk-retry').click();
      // The panel stands (saying why there is no video here: no SFU in this run).
      await page.locator('section.media').first().waitFor({ state: 'visible', timeout: 15_000 });
      expect(await page.getByTestId('media-failed').count()).toBe(0);
      // Caught where it happened: nothing reached the page as an uncaught error.
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }

  it('the media engine: the media panel says so, the page goes on, and Try again loads it', () =>
    mediaFailsAlone(/\/assets\/media-engine-[^/]*\.js$/, 'chunk-failed-media-engine.png'));

  it('the media panel: its boundary stands in for it, the page goes on, and Try again loads it', () =>
    mediaFailsAlone(/\/assets\/media-panel-[^/]*\.js$/, 'chunk-failed-media-panel.png'));

  it('the live draft: its tab says so, the rest goes on, and Try again loads it', async () => {
    const { page, context, failed, errors, heal } = await withFailing(/\/assets\/draft-panel-[^/]*\.js$/);
    try {
      await chatUsable(page, Date.now(), 15_000);
      await page.getByRole('tab', { name: 'Our draft' }).click();
      const notice = page.getByTestId('draft-failed');
      await notice.waitFor({ state: 'visible', timeout: 15_000 });
      expect(failed.length).toBeGreaterThan(0);
      // The media panel, loaded meanwhile, and the chat are untouched.
      await page.locator('section.media').first().waitFor({ state: 'visible', timeout: 15_000 });
      await chatUsable(page, Date.now(), 5_000);
      await heal();
      await notice.getByTestId('chunk-retry').click();
      // The draft's editor, its heading first.
      await page.locator('#draft-title').waitFor({ state: 'visible', timeout: 15_000 });
      expect(await page.getByTestId('draft-failed').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
