import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MediaActivity, MediaFeedsChanged, SfuEngine } from '@parley/contracts';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import type { Person } from './support/people';
import { accessibilityViolations, buildWebClientInto, launchChromium, shows } from './support/web-client';

// Browser globals, for the functions this file runs inside pages (page.evaluate / waitForFunction).
declare const document: any;
declare const window: any;
declare const MediaStream: any;

/**
 * Screen sharing, the marks on tiles and the mediators' view of who speaks, through the web client
 * in headless Chromium (one context per person) against a real SFU, inside scripts/media-netns.sh.
 * Chromium's fake capture (--use-fake-ui-for-media-stream with --use-fake-device-for-media-stream,
 * as launchChromium starts it) answers getDisplayMedia with an animated 1280x720 "screen" at about
 * 20 frames a second, so frames stop only when the media does.
 *
 * Ana (North) shares in the plenary; Olu, the observer, receives it as its own tile, enlarged as it
 * appears, and sees Ana's muted and camera-off marks; the mediator, in the mediators' room, hears
 * the plenary's media.activity; moving Ana to her caucus stops her screen at Olu within the bound
 * media-conformance holds a camera feed's cut to (any one move: 200 ms from the move request to the
 * last frame decoded). media.state's bad input and refusals are checked over a plain socket first.
 * On mediasoup, and on Janus when present (under CI=true both must be).
 */
jest.setTimeout(90_000);

const janus = findJanusBinary();
const RUNS: Array<{ engine: SfuEngine; lack: string | null }> = [
  { engine: 'mediasoup', lack: lacks.mediasoup() },
  { engine: 'janus', lack: lacks.janus() },
];

/**
 * media-conformance's ceiling for any one move's cut of a camera feed (twice its 100 ms median
 * bound). On a busy machine (the camera's own cut in the same move past it), as media-instances
 * does, the screen is held to the camera of the same person in the same move, plus a frame
 * interval of the fake camera under load (100 ms): the screen never outlives a camera.
 */
const CUT_CEILING_MS = 200;
const FRAME_SLACK_MS = 100;

for (const run of RUNS) {
  describeWhen(
    __filename,
    lacks.chromium(),
    lacks.namespace(),
    run.lack,
  )(`screen sharing and tile marks on ${run.engine}`, () => screenShare(run.engine));
}

function screenShare(engine: SfuEngine): void {
  let app: TestApp;
  let webDir: string;
  let m: Mediation;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let ana: Page; // North, shares her screen in the plenary
  let olu: Page; // the observer, in the plenary
  const figures: Record<string, number> = {};
  const anaId = () => m.a1.participantId!;

  const openSession = async (who: Person): Promise<Page> => {
    const context = await browser.newContext({
      permissions: ['camera', 'microphone'],
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who.name}: ${e.message}`));
    await page.goto(app.url);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: m.session.title }).click();
    await shows(page.getByTestId('connection'), 'Connected', 20_000);
    return page;
  };

  /** The tile whose caption is exactly `caption`, once its <video> knows its frame size. */
  const decodes = async (page: Page, caption: string, timeoutMs = 15_000) => {
    await page.waitForFunction(
      (c: string) =>
        [...document.querySelectorAll('figure.tile')].some(
          (f: any) => f.querySelector('figcaption')?.textContent === c && (f.querySelector('video')?.videoWidth ?? 0) > 0,
        ),
      caption,
      { timeout: timeoutMs },
    );
  };

  /**
   * Counts the frames of a tile's video track as Chromium presents them, on a <video> of the
   * test's own (so the page replacing its tiles does not stop the count): the last frame's time
   * says when the media stopped.
   */
  const sample = (page: Page, name: string, tileKey: string) =>
    page.evaluate(
      ([n, key]: [string, string]) => {
        const source = document.querySelector(`figure[data-tile="${key}"] video`);
        const track = source?.srcObject?.getVideoTracks()[0];
        if (!track) return false;
        const v = document.createElement('video');
        v.muted = true;
        v.autoplay = true;
        v.style.cssText = 'position:fixed;width:64px;height:36px;bottom:0;left:0;opacity:0.01';
        v.srcObject = new MediaStream([track]);
        document.body.appendChild(v);
        const s = { frames: 0, last: 0, width: 0 };
        (window.__samplers ??= {})[n] = s;
        const tick = (_: number, meta: { width: number }) => {
          s.frames++;
          s.last = Date.now();
          s.width = meta.width;
          v.requestVideoFrameCallback(tick);
        };
        v.requestVideoFrameCallback(tick);
        return true;
      },
      [name, tileKey] as [string, string],
    );
  const sampled = (page: Page, name: string): Promise<{ frames: number; last: number; width: number }> =>
    page.evaluate((n: string) => ({ ...window.__samplers[n] }), name);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    // A client of its own: another suite building dist/web meanwhile empties it (seen: a sign-in page never came).
    webDir = buildWebClientInto(mkdtempSync(join(tmpdir(), 'parley-web-screen-share-')));
    app = await startApp({
      MEDIA_SFU: engine,
      WEB_DIR: webDir,
      ...(engine === 'janus' ? { JANUS_BINARY: janus!, JANUS_ICE_INTERFACE: 'jlo0' } : {}),
    });
    m = await startMediation(app);
    browser = await launchChromium({ tone: true });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    m?.close();
    await app?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    console.log(`web-screen-share on ${engine}: ${JSON.stringify(figures)}`);
  });

  // The steps build on each other: after a failure, the later ones say so instead of failing obscurely.
  let failedStep: string | null = null;
  beforeEach(() => {
    if (failedStep) throw new Error(`not run: the step "${failedStep}" failed`);
  });
  afterEach(() => {
    const errors = pageErrors.splice(0);
    if (errors.length) failedStep = expect.getState().currentTestName ?? 'a step';
    expect(errors).toEqual([]);
  });
  const step = (name: string, body: () => Promise<void>) =>
    it(name, async () => {
      try {
        await body();
      } catch (e) {
        failedStep = name;
        throw e;
      }
    });

  step('media.state: bad input is refused with its field, nothing before a seat, observers never; a member is answered', async () => {
    const bea = m.client(m.b1);
    for (const [body, field] of [
      [{ micOn: 'no', cameraOn: true }, 'micOn'],
      [{ micOn: true }, 'cameraOn'],
      [{ micOn: true, cameraOn: 1 }, 'cameraOn'],
      [{ micOn: true, cameraOn: true, participantId: anaId() }, 'participantId'],
    ] as const) {
      expect({ body, r: await bea.ask('media.state', body) }).toMatchObject({
        body,
        r: { ok: false, error: { code: 'VALIDATION_FAILED', field } },
      });
    }
    expect(await bea.ask('media.state', 'muted')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // No seat yet in her room's media.
    expect(await bea.ask('media.state', { micOn: false, cameraOn: true })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_NOT_JOINED' },
    });
    expect(await bea.ask('media.join', {})).toMatchObject({ ok: true, data: { mayPublish: true } });
    expect(await bea.ask('media.state', { micOn: false, cameraOn: true })).toEqual({ ok: true, data: { micOn: false, cameraOn: true } });
    // The observer's seat receives only: no marks to set, as no feed to publish.
    const observer = m.client(m.observer);
    expect(await observer.ask('media.join', {})).toMatchObject({ ok: true, data: { mayPublish: false } });
    expect(await observer.ask('media.state', { micOn: false, cameraOn: false })).toMatchObject({
      ok: false,
      error: { code: 'OBSERVER_READ_ONLY' },
    });
    // The mediator, in the mediators' room, may publish there: answered.
    expect(await m.client(m.mediator).ask('media.join', {})).toMatchObject({ ok: true, data: { mayPublish: true } });
    expect(await m.client(m.mediator).ask('media.state', { micOn: true, cameraOn: false })).toMatchObject({ ok: true });
    await bea.ask('media.leave', {});
  });

  step('Ana, in the plenary, and Olu the observer open the session; Olu decodes Ana', async () => {
    // Their pages replace the test's sockets (one live page per participant).
    m.client(m.a1).close();
    m.client(m.observer).close();
    await m.place(m.a1, m.plenary);
    // Bo listens in the plenary without media: what media.feeds says there.
    await m.place(m.b2, m.plenary);
    ana = await openSession(m.a1);
    olu = await openSession(m.observer);
    await shows(ana.getByTestId('current-room'), 'Plenary');
    await decodes(olu, 'Ana North', 20_000);
    // No screen yet; Olu may not share (observers never publish).
    expect(await olu.getByTestId('share-screen').count()).toBe(0);
    await shows(ana.getByTestId('share-screen'), 'Share screen', 15_000);
  });

  step('Ana shares her screen: Olu decodes it as its own tile, "Ana North\'s screen", enlarged as it appears', async () => {
    await ana.getByTestId('share-screen').click();
    await shows(ana.getByTestId('share-screen'), 'Stop sharing');
    await decodes(ana, 'Your screen');
    await decodes(olu, "Ana North's screen", 20_000);
    const screenTile = olu.locator(`figure[data-tile="${anaId()}:screen"]`);
    expect(await screenTile.getAttribute('data-enlarged')).toBe('true');
    expect(await screenTile.getByRole('button', { name: "Enlarge Ana North's screen" }).getAttribute('aria-pressed')).toBe('true');
    // Her camera is still there, beside it, and not enlarged.
    await decodes(olu, 'Ana North');
    expect(await olu.locator(`figure[data-tile="${anaId()}"]`).getAttribute('data-enlarged')).toBeNull();
    // Frames keep coming: decoded at Olu's, at the screen's size.
    expect(await sample(olu, 'screen', `${anaId()}:screen`)).toBe(true);
    const a = await sampled(olu, 'screen');
    await pause(2000);
    const b = await sampled(olu, 'screen');
    // A screen is sent for detail (contentHint): under load Chromium keeps its resolution and drops frames.
    figures.screenFramesPerSecondAtObserver = (b.frames - a.frames) / 2;
    expect(b.frames - a.frames).toBeGreaterThan(1);
    expect(b.width).toBeGreaterThan(0);
    // Another tile enlarged by the keyboard; the screen goes back to its place, and again.
    const cameraEnlarge = olu.getByRole('button', { name: 'Enlarge Ana North', exact: true });
    await cameraEnlarge.focus();
    await olu.keyboard.press('Enter');
    expect(await cameraEnlarge.getAttribute('aria-pressed')).toBe('true');
    expect(await screenTile.getAttribute('data-enlarged')).toBeNull();
    await screenTile.getByRole('button').click();
    expect(await screenTile.getAttribute('data-enlarged')).toBe('true');
    expect(await accessibilityViolations(olu)).toEqual([]);
    expect(await accessibilityViolations(ana)).toEqual([]);
  });

  step("Ana mutes, then turns her camera off: the marks show on her tile at Olu's, and media.feeds says so to the room", async () => {
    const bo = m.client(m.b2);
    bo.clear();
    const anaTile = olu.locator(`figure[data-tile="${anaId()}"]`);
    expect(await anaTile.getByTestId('mark-mic-off').count()).toBe(0);
    await ana.getByRole('button', { name: 'Mute' }).click();
    await shows(anaTile.getByRole('img', { name: 'Microphone off' }));
    const muted: MediaFeedsChanged = await bo.waitFor('media.feeds', (p: MediaFeedsChanged) =>
      p.feeds.some((f) => f.participantId === anaId() && !f.micOn),
    );
    expect(muted).toMatchObject({ roomId: m.plenary, feeds: [{ participantId: anaId(), micOn: false, cameraOn: true }] });
    await ana.getByRole('button', { name: 'Camera off' }).click();
    await shows(anaTile.getByRole('img', { name: 'Camera off' }));
    // Her own tile says it to her too.
    await shows(ana.locator('figure[data-tile="me"]').getByRole('img', { name: 'Microphone off' }));
    await ana.getByRole('button', { name: 'Unmute' }).click();
    await ana.getByRole('button', { name: 'Camera on' }).click();
    await anaTile.getByTestId('mark-mic-off').waitFor({ state: 'detached', timeout: 10_000 });
    await anaTile.getByTestId('mark-camera-off').waitFor({ state: 'detached', timeout: 10_000 });
  });

  step("the mediator, in the mediators' room, hears who speaks in the plenary (media.activity)", async () => {
    const maria = m.client(m.mediator);
    const heard: MediaActivity = await maria.waitFor(
      'media.activity',
      (p: MediaActivity) => p.roomId === m.plenary && p.speaking === anaId(),
      15_000,
    );
    expect(heard).toMatchObject({ sessionId: m.session.id, roomId: m.plenary, speaking: anaId() });
    // Bea, in her caucus, never hears of the plenary.
    expect(m.client(m.b1).events.filter((e) => e.event === 'media.activity' && e.payload.roomId === m.plenary)).toEqual([]);
  });

  step("the browser's own Stop sharing ends the share: the screen's tile goes at Olu's; Ana shares again", async () => {
    // What Chromium does when its "Stop sharing" bar is clicked: the capture track ends.
    await ana.evaluate(() =>
      document.querySelector('figure[data-tile="me:screen"] video').srcObject.getVideoTracks()[0].dispatchEvent(new Event('ended')),
    );
    await shows(ana.getByTestId('share-screen'), 'Share screen');
    await olu.locator(`figure[data-tile="${anaId()}:screen"]`).waitFor({ state: 'detached', timeout: 10_000 });
    await decodes(olu, 'Ana North');
    await ana.getByTestId('share-screen').click();
    await decodes(olu, "Ana North's screen", 20_000);
  });

  step(
    `moving Ana to her caucus stops her screen at Olu's within ${CUT_CEILING_MS} ms of the move request (or her camera's cut, if later, on a busy machine), and ends her share`,
    async () => {
      const key = `${anaId()}:screen`;
      expect(await sample(olu, 'moveScreen', key)).toBe(true);
      expect(await sample(olu, 'moveCamera', anaId())).toBe(true);
      await pause(500);
      const before = await sampled(olu, 'moveScreen');
      expect(Date.now() - before.last).toBeLessThan(1000); // decoding up to the move
      const tMove = Date.now();
      await m.place(m.a1, m.caucusA);
      await pause(1500);
      const screen = await sampled(olu, 'moveScreen');
      const camera = await sampled(olu, 'moveCamera');
      figures.screenCutMs = Math.max(0, screen.last - tMove);
      figures.cameraCutMs = Math.max(0, camera.last - tMove);
      figures.loadAverage = loadavg()[0];
      expect(Date.now() - screen.last).toBeGreaterThan(1000); // nothing decoded since
      expect(Date.now() - camera.last).toBeGreaterThan(1000);
      figures.screenCutBoundMs = Math.max(CUT_CEILING_MS, figures.cameraCutMs + FRAME_SLACK_MS);
      expect(figures.screenCutMs).toBeLessThanOrEqual(figures.screenCutBoundMs);
      await olu.locator(`figure[data-tile="${key}"]`).waitFor({ state: 'detached', timeout: 10_000 });
      // The share does not follow her into the caucus.
      await shows(ana.getByTestId('current-room'), 'Caucus — North');
      await shows(ana.getByTestId('share-screen'), 'Share screen', 15_000);
      expect(await ana.locator('figure[data-tile="me:screen"]').count()).toBe(0);
    },
  );
}
