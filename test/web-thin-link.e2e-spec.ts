import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import {
  inboundRtp,
  KEEP_PEER_CONNECTIONS,
  kbitPerS,
  launchUnshaped,
  openSession,
  ShapedLink,
  type InboundRtp,
} from './support/shaped-link';
import { buildWebClientInto, SCREENSHOTS } from './support/web-client';

// Browser globals, for the functions run inside pages.
declare const document: any;

/**
 * A delegate on a thin link keeps a smaller picture instead of losing video (issue 15, simulcast):
 * Ana, North's head, runs headless Chromium in a network namespace of her own joined to the test's
 * by a veth shaped with `tc tbf` to 250 kbit/s each way (test/support/shaped-link.ts); the mediator
 * publishes audio and a camera in the plenary from an unshaped browser, through a real Janus, which
 * forwards the layer a subscriber asks and does not adapt it to the subscriber's link by itself.
 * The camera's full layer and a voice do not fit her link; its low layer (up to 150 kbit/s) and the
 * voice do. Asserted: her page lowers the layer by itself, from the loss it reads
 * (apps/web/src/media/video-layer.ts), and says so; she then decodes the mediator at half width (at
 * most 320 px), frames keep coming, the page never needs the audio-only switch, and it keeps
 * sending her own camera (her uplink has room for it).
 */

jest.setTimeout(300_000);

const janus = findJanusBinary();

/**
 * 250 kbit/s: the full picture of Chromium's fake camera and a voice took 320–350 kbit/s here (a
 * 400 kbit/s link carried them with nothing lost); the low layer and the voice take well under 250.
 */
const SHAPE = { rateKbit: 250, delayMs: 20, lossPct: 0 };
/** How long her page may take to lower the layer once the full picture floods her link. */
const LOWER_WAIT_MS = 45_000;
/** The window watched after it, and the frames she must decode in it (the camera sends 30 a second; 5 a second is a moving picture). */
const WATCH_MS = 10_000;
const MIN_FRAMES = 50;

describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
  lacks.janus(),
)('a delegate on a 250 kbit/s link receives the low simulcast layer, not audio only (Janus)', () => {
  let webDir: string;
  let link: ShapedLink;
  let app: TestApp;
  let m: Mediation;
  const browsers: Browser[] = [];
  let ana: Page;
  let mediator: Page;

  beforeAll(async () => {
    webDir = buildWebClientInto(mkdtempSync(join(tmpdir(), 'parley-web-thin-link-')));
    mkdirSync(SCREENSHOTS, { recursive: true });
    link = await ShapedLink.create(SHAPE, 8);
    app = await startApp({ MEDIA_SFU: 'janus', JANUS_BINARY: janus!, JANUS_ICE_INTERFACE: `jlo0,${link.hostIf}`, WEB_DIR: webDir });
    await link.forward(Number(new URL(app.url).port));
    m = await startMediation(app);
    const fast = await launchUnshaped();
    browsers.push(fast);
    const slow = await link.launchChromium();
    browsers.push(slow);
    const title = m.session.title;
    await m.place(m.mediator, m.plenary);
    const mc = await fast.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    mediator = await mc.newPage();
    await openSession(mediator, app.url, m.mediator, title, 30_000);
    await m.place(m.a1, m.plenary);
    const ac = await slow.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await ac.addInitScript(KEEP_PEER_CONNECTIONS);
    ana = await ac.newPage();
    await openSession(ana, app.url, m.a1, title, 60_000);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    m?.close();
    await app?.close();
    await link?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  /** The width of the mediator's picture on Ana's page (0: none decoded). */
  const widthAtAna = () =>
    ana.evaluate(
      () =>
        [...document.querySelectorAll('figure.tile')]
          .filter((f: any) => f.querySelector('figcaption')?.textContent === 'Mediator Maria')
          .map((f: any) => f.querySelector('video')?.videoWidth ?? 0)[0] ?? 0,
    );

  /** Packets received and lost over every inbound stream, as the page's layer rule counts them. */
  const totals = (r: InboundRtp) =>
    Object.values(r.byId).reduce((t, x) => ({ received: t.received + x.packetsReceived, lost: t.lost + x.packetsLost }), {
      received: 0,
      lost: 0,
    });

  it('lowers the layer by itself with a notice, then decodes the half-width picture at a moving frame rate, never switching to audio only', async () => {
    const t0 = Date.now();
    // What her page receives meanwhile, every 5 s (printed should the page never lower the layer).
    const seen: string[] = [];
    let last = await inboundRtp(ana);
    let lastBytes = link.bytes().down;
    const watch = setInterval(() => {
      void inboundRtp(ana)
        .then((now) => {
          const bytes = link.bytes().down;
          const [a, b] = [totals(last), totals(now)];
          seen.push(
            `${Math.round((Date.now() - t0) / 1000)} s: ${kbitPerS(bytes - lastBytes, 5000)} kbit/s down, ${now.video.framesDecoded - last.video.framesDecoded} frames, packets ${b.received - a.received} received and ${b.lost - a.lost} lost`,
          );
          last = now;
          lastBytes = bytes;
        })
        .catch(() => undefined);
    }, 5000);
    try {
      await ana.locator('section.media[data-video-layer="low"]').waitFor({ state: 'attached', timeout: LOWER_WAIT_MS });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nwhat her page received: ${seen.join('; ')}`);
    } finally {
      clearInterval(watch);
    }
    const lowerMs = Date.now() - t0;
    await ana.getByTestId('low-video-notice').waitFor({ state: 'visible', timeout: 5_000 });
    // The low layer reaches her: the picture turns half width (a keyframe of the new layer first).
    const end = Date.now() + 20_000;
    let width = await widthAtAna();
    while (!(width > 0 && width <= 320) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      width = await widthAtAna();
    }
    await ana.screenshot({ path: join(SCREENSHOTS, 'thin-link-low-layer.png'), fullPage: true });
    expect(width).toBeGreaterThan(0);
    expect(width).toBeLessThanOrEqual(320);
    const r0: InboundRtp = await inboundRtp(ana);
    const l0 = link.bytes();
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const r1: InboundRtp = await inboundRtp(ana);
    const frames = r1.video.framesDecoded - r0.video.framesDecoded;
    const down = kbitPerS(link.bytes().down - l0.down, WATCH_MS);
    const receive = await ana.locator('section.media').first().getAttribute('data-receive');
    process.stdout.write(
      `web-thin-link: ${SHAPE.rateKbit} kbit/s: layer lowered ${lowerMs} ms after she entered; the mediator ${width} px wide, ${frames} frames in ${WATCH_MS} ms, ${down} kbit/s down; receiving ${receive}\n`,
    );
    expect(frames).toBeGreaterThanOrEqual(MIN_FRAMES);
    expect(receive).toBe('video');
    expect(await ana.getByTestId('low-bandwidth-notice').count()).toBe(0);
    // Her own camera goes out on the same 250 kbit/s: enough for it, so the page keeps sending it.
    expect(await ana.getByTestId('uplink-thin-notice').count()).toBe(0);
    // The mediator, on a clean link, is asked nothing: his page keeps the full picture of nobody
    // else here, and his own layer choice is untouched.
    expect(await mediator.locator('section.media').first().getAttribute('data-video-layer')).toBe('high');
  });
});
