import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MEDIA_PORT, type MediaPort } from '@parley/media';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import type { Person } from './support/people';
import { launchChromium } from './support/web-client';

/**
 * Media isolation proven in a real browser: headless Debian Chromium (fake camera and microphone)
 * driven by playwright-core, a real Janus that Parley starts, and every SDP through the Parley
 * gateway. Runs only inside the network namespace of scripts/media-netns.sh (loopback plus `jlo0`,
 * see ../shared/notes/webrtc-testing.md): nothing leaves the namespace, and Chromium's mDNS
 * candidates are off. One browser, one context per person; each page is a tiny page served by this
 * test on 127.0.0.1 (a secure context for getUserMedia) with socket.io-client's browser build.
 *
 * Timings are taken on one clock (epoch ms from performance.timeOrigin + performance.now(), in
 * Node and in the pages alike) and printed at the end.
 */
const janus = findJanusBinary();
const withBrowserAndJanus = describeWhen(__filename, lacks.janus(), lacks.chromium(), lacks.namespace());

const CUT_BOUND_MS = 200;
const NEW_ROOM_FIRST_FRAME_BOUND_MS = 1000;

const now = () => performance.timeOrigin + performance.now();

/** The page's own code, shared with the media benchmark. */
const PAGE_SCRIPT = readFileSync(resolve(__dirname, 'support', 'media-page.browser.js'), 'utf8');

interface SubView {
  id: number;
  frames: number;
  t0: number;
  firstFrameAt: number | null;
  lastIncreaseAt: number | null;
  lastSampleAt: number;
  state: string;
  log: { what: string; t: number }[];
}
type Ack = { ok: true; data: any } | { ok: false; error: { code: string; message: string } };

withBrowserAndJanus('media in a real browser (Chromium + Janus, in a network namespace)', () => {
  let app: TestApp;
  let m: Mediation;
  let port: MediaPort;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages = new Map<Person, Page>();
  const figures: { what: string; ms: number; bound?: number }[] = [];
  let aFeed: string;
  let bFeed: string;
  let mediatorCaucusSub: number;
  let observerPlenarySub: number;
  let mediatorPlenarySub: number;

  const page = (p: Person) => pages.get(p)!;
  const ask = (p: Person, event: string, payload: object = {}): Promise<Ack> =>
    page(p).evaluate(([e, body]) => (globalThis as any).P.ask(e, body), [event, payload] as const);
  const publish = (p: Person): Promise<Ack & { t0: number }> => page(p).evaluate(() => (globalThis as any).P.publish());
  const subscribe = (
    p: Person,
    feedIds?: string[],
  ): Promise<{ ok: boolean; id: number; feeds: any[]; t0: number; error?: { code: string } }> =>
    page(p).evaluate((ids) => (globalThis as any).P.subscribe(ids ?? undefined), feedIds ?? null);
  const firstFrame = (p: Person, id: number, timeoutMs = 5000): Promise<SubView> =>
    page(p).evaluate(([i, t]) => (globalThis as any).P.waitFirstFrame(i, t), [id, timeoutMs] as const);
  const stopped = (p: Person, id: number, quietMs = 700, timeoutMs = 4000): Promise<SubView> =>
    page(p).evaluate(([i, q, t]) => (globalThis as any).P.waitStopped(i, q, t), [id, quietMs, timeoutMs] as const);
  const events = (p: Person): Promise<{ event: string; payload: any; t: number }[]> => page(p).evaluate(() => (globalThis as any).P.events);
  const inRoom = async (roomId: string) => (await port.stats(roomId)).participants;
  const record = (what: string, ms: number, bound?: number) =>
    figures.push({ what, ms: Math.round(ms * 10) / 10, ...(bound ? { bound } : {}) });

  beforeAll(async () => {
    const ioClient = readFileSync(resolve(__dirname, '..', 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js'));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>parley media test</title></head><body>
<script src="/socket.io.js"></script><script>${PAGE_SCRIPT}</script></body></html>`;
    site = createServer((req, res) => {
      if (req.url === '/socket.io.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(ioClient);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    // The test page is another origin than the API's: the API accepts its sockets only when listed.
    app = await startApp({ JANUS_BINARY: janus!, JANUS_ICE_INTERFACE: 'jlo0', ALLOWED_ORIGINS: new URL(siteUrl).origin });
    m = await startMediation(app);
    port = app.app.get<MediaPort>(MEDIA_PORT);

    browser = await launchChromium();
    for (const person of [m.mediator, m.a1, m.b1, m.observer]) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      const p = await context.newPage();
      p.on('pageerror', (e) => console.warn(`page error (${person.name}): ${e.message}`));
      await p.goto(siteUrl);
      await p.evaluate(([url, token, sessionId]) => (globalThis as any).P.connect(url, token, sessionId), [
        app.url,
        person.token,
        m.session.id,
      ] as const);
      pages.set(person, p);
    }
  });

  afterAll(async () => {
    if (figures.length) {
      console.log(
        `media-browser timings (ms, one clock, measured in this run)\n${figures.map((f) => `  ${f.what.padEnd(72)} ${String(f.ms).padStart(8)}${f.bound ? `   (bound ${f.bound})` : ''}`).join('\n')}`,
      );
    }
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
    m?.close();
    await app?.close();
  });

  it('party A publishes in caucus A and the mediator in caucus A decodes its video', async () => {
    await m.place(m.mediator, m.caucusA);
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true } });
    const pub = await publish(m.a1);
    expect(pub).toMatchObject({ ok: true, data: { feedId: expect.any(String) } });
    aFeed = (pub as any).data.feedId;
    record('A: getUserMedia + offer + gathering + media.publish answered', now() - pub.t0);

    const tJoin = now();
    const joined = await ask(m.mediator, 'media.join');
    expect(joined).toMatchObject({ ok: true, data: { roomId: m.caucusA, feeds: [{ feedId: aFeed, participantId: m.a1.participantId }] } });
    const sub = await subscribe(m.mediator);
    expect(sub).toMatchObject({ ok: true, feeds: [{ feedId: aFeed }] });
    mediatorCaucusSub = sub.id;
    const view = await firstFrame(m.mediator, sub.id);
    expect(view.firstFrameAt).not.toBeNull();
    expect(view.frames).toBeGreaterThan(0);
    record('mediator, caucus A: media.join -> first decoded frame of A (join-to-first-frame)', view.firstFrameAt! - tJoin);
    record('mediator, caucus A: media.subscribe -> first decoded frame', view.firstFrameAt! - sub.t0);
    expect(await inRoom(m.caucusA)).toEqual([m.a1.participantId, m.mediator.participantId].sort());
  });

  it("party B in caucus B never gets a subscription to A's stream (server and browser)", async () => {
    const joined = await ask(m.b1, 'media.join');
    expect(joined).toMatchObject({ ok: true, data: { roomId: m.caucusB, feeds: [] } });
    expect(await ask(m.b1, 'media.subscribe', {})).toMatchObject({ ok: false, error: { code: 'FEED_NOT_FOUND' } });
    expect(await ask(m.b1, 'media.subscribe', { feedIds: [aFeed] })).toMatchObject({ ok: false, error: { code: 'FEED_NOT_FOUND' } });
    expect(await inRoom(m.caucusA)).not.toContain(m.b1.participantId);
    expect(await inRoom(m.caucusB)).toEqual([m.b1.participantId]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await page(m.b1).evaluate(() => (globalThis as any).P.allInboundVideo())).toEqual([]);
    expect(
      (await events(m.b1))
        .filter((e) => JSON.stringify(e.payload).includes(aFeed) || JSON.stringify(e.payload).includes(m.a1.participantId!))
        .filter((e) => e.event.startsWith('media.')),
    ).toEqual([]);
  });

  it('an observer in the plenary decodes the plenary video, but its publish attempt is refused', async () => {
    await m.place(m.b1, m.plenary);
    expect(await ask(m.b1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.plenary, mayPublish: true } });
    const pub = await publish(m.b1);
    expect(pub).toMatchObject({ ok: true });
    bFeed = (pub as any).data.feedId;

    const tJoin = now();
    expect(await ask(m.observer, 'media.join')).toMatchObject({
      ok: true,
      data: { roomId: m.plenary, mayPublish: false, feeds: [{ feedId: bFeed }] },
    });
    const sub = await subscribe(m.observer);
    expect(sub).toMatchObject({ ok: true, feeds: [{ feedId: bFeed, participantId: m.b1.participantId }] });
    observerPlenarySub = sub.id;
    const view = await firstFrame(m.observer, sub.id);
    expect(view.frames).toBeGreaterThan(0);
    record('observer, plenary: media.join -> first decoded frame of B', view.firstFrameAt! - tJoin);

    const refused = await publish(m.observer);
    expect(refused).toMatchObject({ ok: false, error: { code: 'OBSERVER_READ_ONLY' } });
    expect((await port.feeds(m.plenary)).map((f) => f.participantId)).toEqual([m.b1.participantId]);
    expect(await page(m.observer).evaluate(() => (globalThis as any).P.outboundVideoFrames())).toBe(0);
  });

  it(`the mediator moves to the plenary: the caucus-A subscription ends within ${CUT_BOUND_MS} ms and plenary video is decoded within ${NEW_ROOM_FIRST_FRAME_BOUND_MS} ms`, async () => {
    const before = (await page(m.mediator).evaluate((id) => (globalThis as any).P.sub(id), mediatorCaucusSub)) as SubView;
    expect(now() - before.lastIncreaseAt!).toBeLessThan(200); // still decoding A right before the move

    const tMove = now();
    await m.place(m.mediator, m.plenary);
    const tMoved = now();
    expect(await ask(m.mediator, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.plenary, feeds: [{ feedId: bFeed }] } });
    const sub = await subscribe(m.mediator);
    expect(sub).toMatchObject({ ok: true, feeds: [{ feedId: bFeed }] });
    mediatorPlenarySub = sub.id;
    const fresh = await firstFrame(m.mediator, sub.id, 3000);

    const old = await stopped(m.mediator, mediatorCaucusSub);
    const cutEvent = (await events(m.mediator)).find((e) => e.event === 'media.cut' && e.t >= tMove);
    // The cut: when the old subscription decoded its last frame, from the move request. A frame
    // seen at or before the request counts as 0 (nothing decoded after it); the resolution is the
    // sampler's 10 ms plus the fake camera's frame interval (recorded beside it).
    const cutMs = Math.max(0, old.lastIncreaseAt! - tMove);
    record('mediator move: REST move request -> response', tMoved - tMove);
    if (cutEvent) record('mediator move: move request -> media.cut at the page', cutEvent.t - tMove);
    record('mediator move: move request -> last caucus-A frame decoded (cut)', cutMs, CUT_BOUND_MS);
    record('  (caucus-A frames decoded from just before the move request on, count)', old.frames - before.frames);
    record(
      '  (caucus-A mean frame interval before the move)',
      (before.lastIncreaseAt! - before.firstFrameAt!) / Math.max(1, before.frames - 1),
    );
    const ended = old.log.find((l) => l.t >= tMove && /pc (disconnected|failed|closed)|ended|muted/.test(l.what));
    if (ended) record(`mediator move: move request -> old PeerConnection "${ended.what}"`, ended.t - tMove);
    if (fresh.firstFrameAt)
      record('mediator move: move request -> first plenary frame decoded', fresh.firstFrameAt - tMove, NEW_ROOM_FIRST_FRAME_BOUND_MS);

    expect(cutEvent).toBeDefined();
    expect(now() - old.lastIncreaseAt!).toBeGreaterThan(500); // no frame since
    expect(cutMs).toBeLessThanOrEqual(CUT_BOUND_MS);
    expect(fresh.firstFrameAt).not.toBeNull();
    expect(fresh.firstFrameAt! - tMove).toBeLessThanOrEqual(NEW_ROOM_FIRST_FRAME_BOUND_MS);
    expect(await inRoom(m.caucusA)).toEqual([m.a1.participantId]);
    // A still publishes in caucus A: only the mediator's subscription went.
    expect((await port.feeds(m.caucusA)).map((f) => f.feedId)).toEqual([aFeed]);
  });

  it('a participant sent back to the lobby stops publishing at once', async () => {
    for (const [who, id] of [
      [m.observer, observerPlenarySub],
      [m.mediator, mediatorPlenarySub],
    ] as const) {
      const v = (await page(who).evaluate((i) => (globalThis as any).P.sub(i), id)) as SubView;
      expect(now() - v.lastIncreaseAt!).toBeLessThan(200); // both still decoding B
    }
    const tLobby = now();
    await m.post(m.mediator, `/participants/${m.b1.participantId}/lobby`).expect(200);
    const tDone = now();
    const obs = await stopped(m.observer, observerPlenarySub);
    const med = await stopped(m.mediator, mediatorPlenarySub);
    record('lobby: REST lobby request -> response', tDone - tLobby);
    record('lobby: request -> last frame of B decoded at the observer', Math.max(0, obs.lastIncreaseAt! - tLobby), CUT_BOUND_MS);
    record('lobby: request -> last frame of B decoded at the mediator', Math.max(0, med.lastIncreaseAt! - tLobby), CUT_BOUND_MS);
    const feedsEvent = (await events(m.observer)).find((e) => e.event === 'media.feeds' && e.t >= tLobby && e.payload.roomId === m.plenary);
    if (feedsEvent) record('lobby: request -> media.feeds without B at the observer', feedsEvent.t - tLobby);
    const cut = (await events(m.b1)).find((e) => e.event === 'media.cut' && e.t >= tLobby);

    expect(cut?.payload).toMatchObject({ roomId: m.plenary, reason: 'moved' });
    expect(feedsEvent?.payload.feeds).toEqual([]);
    expect(obs.lastIncreaseAt! - tLobby).toBeLessThanOrEqual(CUT_BOUND_MS);
    expect(med.lastIncreaseAt! - tLobby).toBeLessThanOrEqual(CUT_BOUND_MS);
    expect(await port.feeds(m.plenary)).toEqual([]);
    expect(await inRoom(m.plenary)).not.toContain(m.b1.participantId);
    expect(await ask(m.b1, 'media.publish', { offerSdp: 'v=0 from the lobby', kinds: ['video'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
  });
});
