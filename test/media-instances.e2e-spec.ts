import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CLUSTER_TIMING, RedisMediaCluster } from '@parley/media/infrastructure/cluster/redis-media-cluster';
import { resultOf } from '@parley/media/application/media-routing';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { ApiProcess, freePort } from './support/api-process';
import { remoteApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import type { Person } from './support/people';
import { PgCluster } from './support/pg-cluster';
import { RedisServer } from './support/redis-server';
import { launchChromium } from './support/web-client';

/**
 * Media with two API instances (A and B) behind one PostgreSQL and one Redis, each with its own
 * Janus (the SFU connection is per instance; a media room is held by one owner instance). Runs in
 * the network namespace of scripts/media-netns.sh, where the machine's PostgreSQL and Redis are not
 * reachable: the suite starts its own cluster (initdb/pg_ctl) and redis-server on loopback.
 *
 * Shown in headless Chromium, timings on one clock and printed at the end:
 * - two delegates of one caucus, one socket on A and one on B, decode each other's video (one SFU
 *   room, held by B; A forwards the other delegate's requests);
 * - a move decided on A (the mediator's HTTP request to A) cuts the mover's media seated on B
 *   within the single-instance bound (200 ms from the request to the last frame decoded, both
 *   ways; on a machine slowed by other work, twice a one-instance cut measured in the same run),
 *   media.cut reaches the mover before participant.location, and the new room's media (held by
 *   A) works for the mover;
 * - B killed (SIGKILL) while it holds the caucus: a request about it answers MEDIA_UNAVAILABLE
 *   (retryable) at once, the caucus is told media.reset, and media works again through A;
 * - a third instance C stopped with SIGTERM while it holds the other caucus: the same, sooner.
 * - Before the browsers, the owner rule itself on this Redis (three cluster clients in the test).
 */
const janus = findJanusBinary();
const CUT_BOUND_MS = 200;
const RESET_BOUND_MS = 6_000;
const now = () => performance.timeOrigin + performance.now();
const PAGE_SCRIPT = readFileSync(resolve(__dirname, 'support', 'media-page.browser.js'), 'utf8');

interface SubView {
  id: number;
  frames: number;
  firstFrameAt: number | null;
  lastIncreaseAt: number | null;
}
type Ack = { ok: true; data: any } | { ok: false; error: { code: string; message: string; retryable?: boolean } };

describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
  lacks.pgCluster(),
  lacks.redisServer(),
  lacks.janus(),
)('media with two API instances (Chromium, Janus per instance, Redis, PostgreSQL)', () => {
  let cluster: PgCluster;
  let redisServer: RedisServer;
  let redis: Redis;
  let A: ApiProcess;
  let B: ApiProcess;
  /** A third instance, for the graceful stop (started with the others: a restart is slow on a busy machine). */
  let C: ApiProcess;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  let m: Mediation;
  const contexts: BrowserContext[] = [];
  const pages = new Map<Person, Page>();
  const figures: { what: string; ms: number; bound?: number }[] = [];
  const record = (what: string, ms: number, bound?: number) =>
    figures.push({ what, ms: Math.round(ms * 10) / 10, ...(bound ? { bound } : {}) });

  const page = (p: Person) => pages.get(p)!;
  const ask = (p: Person, event: string, payload: object = {}): Promise<Ack> =>
    page(p).evaluate(([e, body]) => (globalThis as any).P.ask(e, body), [event, payload] as const);
  const publish = (p: Person): Promise<Ack & { t0: number }> => page(p).evaluate(() => (globalThis as any).P.publish());
  const subscribe = (p: Person): Promise<{ ok: boolean; id: number; feeds: any[]; t0: number; error?: { code: string } }> =>
    page(p).evaluate(() => (globalThis as any).P.subscribe());
  const firstFrame = (p: Person, id: number, timeoutMs = 8000): Promise<SubView> =>
    page(p).evaluate(([i, t]) => (globalThis as any).P.waitFirstFrame(i, t), [id, timeoutMs] as const);
  const sub = (p: Person, id: number): Promise<SubView> => page(p).evaluate((i) => (globalThis as any).P.sub(i), id);
  /** Waits (in the page) for a frame decoded within the last 50 ms: what was decoding still is, just now. */
  const freshFrame = (p: Person, id: number, timeoutMs = 3000): Promise<boolean> =>
    page(p).evaluate(
      async ([i, t]) => {
        const P = (globalThis as any).P;
        const perf = (globalThis as any).performance as { timeOrigin: number; now(): number };
        const clock = () => perf.timeOrigin + perf.now();
        const end = clock() + t;
        while (clock() < end) {
          const last = P.subs[i].lastIncreaseAt;
          if (last !== null && clock() - last < 50) return true;
          await new Promise((r) => setTimeout(r, 5));
        }
        return false;
      },
      [id, timeoutMs] as const,
    );
  const stopped = (p: Person, id: number, quietMs = 700, timeoutMs = 4000): Promise<SubView> =>
    page(p).evaluate(([i, q, t]) => (globalThis as any).P.waitStopped(i, q, t), [id, quietMs, timeoutMs] as const);
  const events = (p: Person): Promise<{ event: string; payload: any; t: number }[]> => page(p).evaluate(() => (globalThis as any).P.events);
  const connect = (p: Person, api: ApiProcess) =>
    page(p).evaluate(([url, token, sessionId]) => (globalThis as any).P.connect(url, token, sessionId), [
      api.url,
      p.token,
      m.session.id,
    ] as const);
  /** The instance id each API logged at start ("media instance <id>"). */
  const instanceOf = (api: ApiProcess) => /media instance ([0-9a-f-]{36})/.exec(api.log)?.[1];
  const ownerOf = async (roomId: string) => (await redis.hget('parley:media:rooms', roomId))?.split(' ')[0];

  beforeAll(async () => {
    cluster = new PgCluster(await freePort());
    cluster.init();
    cluster.start();
    redisServer = await RedisServer.start();
    redis = new Redis(redisServer.url);

    const ioClient = readFileSync(resolve(__dirname, '..', 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js'));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>parley media instances</title></head><body>
<script src="/socket.io.js"></script><script>${PAGE_SCRIPT}</script></body></html>`;
    site = createServer((req, res) => {
      if (req.url === '/socket.io.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(ioClient);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

    const env = {
      DATABASE_URL: cluster.url,
      REDIS_URL: redisServer.url,
      MEDIA_SFU: 'janus',
      JANUS_BINARY: janus!,
      JANUS_ICE_INTERFACE: 'jlo0',
      ALLOWED_ORIGINS: new URL(siteUrl).origin,
      LOG_LEVEL: 'log',
    };
    // One after the other: the first runs the migrations.
    A = new ApiProcess(await freePort(), env);
    await A.start(120_000);
    B = new ApiProcess(await freePort(), env);
    C = new ApiProcess(await freePort(), env);
    await Promise.all([B.start(180_000), C.start(180_000)]);

    // People and placements through A's HTTP API (its Node clients on A too).
    m = await startMediation(remoteApp(A.url));
    browser = await launchChromium();
    for (const [person, api] of [
      [m.a1, A],
      [m.a2, B],
      [m.mediator, A],
    ] as const) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      const p = await context.newPage();
      p.on('pageerror', (e) => console.warn(`page error (${person.name}): ${e.message}`));
      await p.goto(siteUrl);
      pages.set(person, p);
      await connect(person, api);
    }
  }, 300_000);

  afterAll(async () => {
    if (figures.length)
      console.log(
        `media-instances timings (ms, one clock, measured in this run)\n${figures
          .map((f) => `  ${f.what.padEnd(84)} ${String(f.ms).padStart(8)}${f.bound ? `   (bound ${f.bound})` : ''}`)
          .join('\n')}`,
      );
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
    m?.close();
    await A?.stop();
    await B?.stop();
    await C?.stop();
    redis?.disconnect();
    await redisServer?.dispose();
    cluster?.destroy();
  }, 60_000);

  it('the owner rule on this Redis: one owner under concurrent claims, bounded calls, a dead owner swept once, taken over once', async () => {
    // Database 1 of the suite's Redis: the APIs (database 0) never see these rooms.
    const url = `${redisServer.url}/1`;
    const raw = new Redis(url);
    const sut = await Promise.all([RedisMediaCluster.start(url), RedisMediaCluster.start(url), RedisMediaCluster.start(url)]);
    try {
      const claims = await Promise.all(sut.flatMap((c) => [c.claim('room-1', 'session-1'), c.claim('room-1', 'session-1')]));
      expect(new Set(claims.map((c) => c.owner)).size).toBe(1);
      expect(claims.every((c) => c.tookOverFrom === null)).toBe(true);
      const owner = sut.find((c) => c.self === claims[0].owner)!;
      const [x, y] = sut.filter((c) => c !== owner);
      expect(await x.ownerOf('room-1')).toBe(owner.self);

      owner.serve((m) => Promise.resolve({ ok: true, data: m.kind }));
      expect(resultOf(await x.call(owner.self, { kind: 'finished', sessionId: 'session-1' }, 1_000))).toBe('finished');
      // An instance that does not answer: MEDIA_UNAVAILABLE once the bound has passed, not before.
      y.serve(() => new Promise(() => undefined));
      let t0 = now();
      const silent = await x.call(y.self, { kind: 'finished', sessionId: 'session-1' }, 300);
      const silentMs = now() - t0;
      expect(() => resultOf(silent)).toThrow(expect.objectContaining({ code: 'MEDIA_UNAVAILABLE' }));
      expect(silentMs).toBeGreaterThanOrEqual(290);
      expect(silentMs).toBeLessThan(1_000);
      record('owner rule: a call to an instance that does not answer, bound 300 ms, answered after', silentMs);

      const orphans: string[] = [];
      for (const c of [x, y]) c.onOrphaned((o) => orphans.push(`${o.roomId} ${o.sessionId} ${o.owner}`));
      await owner.seatTaken('participant-1');
      expect(await x.seatOwner('participant-1')).toBe(owner.self);
      const tClose = now();
      await owner.close();
      // Gone at once: no owner, and a call to it answers without waiting for its bound.
      expect(await x.ownerOf('room-1')).toBeNull();
      t0 = now();
      const gone = await x.call(owner.self, { kind: 'finished', sessionId: 'session-1' }, 5_000);
      expect(() => resultOf(gone)).toThrow(expect.objectContaining({ code: 'MEDIA_UNAVAILABLE' }));
      expect(now() - t0).toBeLessThan(500);
      while (!orphans.length && now() - tClose < 5_000) await new Promise((r) => setTimeout(r, 20));
      record('owner rule: an instance stopped -> its room reported orphaned (two survivors sweeping)', now() - tClose);
      // Each survivor sweeps again at least once (their timers run on the wall clock, in Redis' company): no second report.
      await new Promise((r) => setTimeout(r, CLUSTER_TIMING.sweepEveryMs * 1.5));
      expect(orphans).toEqual([`room-1 session-1 ${owner.self}`]); // once, by one of the two
      expect(await raw.hget('parley:media:rooms', 'room-1')).toBeNull();
      expect(await x.seatOwner('participant-1')).toBeNull();
      expect(await raw.hget('parley:media:seats', 'participant-1')).toBeNull();

      // A claim that finds a dead owner before any sweep takes the room, and says from whom.
      await raw.hset('parley:media:rooms', 'room-2', 'dead-instance session-2');
      expect(await y.claim('room-2', 'session-2')).toEqual({ owner: y.self, tookOverFrom: 'dead-instance' });
      expect(await x.claim('room-2', 'session-2')).toEqual({ owner: y.self, tookOverFrom: null });
      // Released only by its owner.
      await x.release('room-2');
      expect(await x.ownerOf('room-2')).toBe(y.self);
      await y.release('room-2');
      expect(await x.ownerOf('room-2')).toBeNull();
    } finally {
      for (const c of sut) await c.close();
      raw.disconnect();
    }
  });

  /** The cut across instances (step 3), asserted once the one-instance control is measured (step 4). */
  let cross: { mover: number; others: number } | null = null;
  let a1Feed: string;
  let a2Feed: string;
  let a1SeesA2: number;
  let a2SeesA1: number;

  it('two delegates of one caucus, sockets on A and on B, share one SFU room (held by B) and decode each other', async () => {
    expect(instanceOf(A)).toBeDefined();
    expect(instanceOf(B)).toBeDefined();
    expect(instanceOf(A)).not.toEqual(instanceOf(B));
    // B's socket joins first: B claims the caucus.
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true, sfu: 'janus' } });
    expect(await ownerOf(m.caucusA)).toBe(instanceOf(B));
    const p2 = await publish(m.a2);
    expect(p2).toMatchObject({ ok: true });
    a2Feed = (p2 as any).data.feedId;

    // A's socket: forwarded to B, which lists B's feed (one room, not two).
    const tJoin = now();
    expect(await ask(m.a1, 'media.join')).toMatchObject({
      ok: true,
      data: { roomId: m.caucusA, feeds: [{ feedId: a2Feed, participantId: m.a2.participantId }] },
    });
    record('a1 (socket on A): media.join forwarded to B, answered', now() - tJoin);
    const p1 = await publish(m.a1);
    expect(p1).toMatchObject({ ok: true });
    a1Feed = (p1 as any).data.feedId;

    const s1 = await subscribe(m.a1);
    expect(s1).toMatchObject({ ok: true, feeds: [{ feedId: a2Feed }] });
    a1SeesA2 = s1.id;
    const s2 = await subscribe(m.a2);
    expect(s2).toMatchObject({ ok: true, feeds: [{ feedId: a1Feed }] });
    a2SeesA1 = s2.id;
    const v1 = await firstFrame(m.a1, a1SeesA2);
    const v2 = await firstFrame(m.a2, a2SeesA1);
    expect(v1.frames).toBeGreaterThan(0);
    expect(v2.frames).toBeGreaterThan(0);
    record('a1 (A, via B): media.subscribe -> first decoded frame of a2', v1.firstFrameAt! - s1.t0);
    record('a2 (B): media.subscribe -> first decoded frame of a1', v2.firstFrameAt! - s2.t0);
    // The simulcast layer asked over A's socket is carried out by B, which holds the seat (forwarded
    // with its command, read back on B); bad input is refused on A before any forwarding.
    expect(await ask(m.a1, 'media.layer', { layer: 'low' })).toEqual({ ok: true, data: { layer: 'low' } });
    expect(await ask(m.a1, 'media.layer', { layer: 'high' })).toEqual({ ok: true, data: { layer: 'high' } });
    expect(await ask(m.a1, 'media.layer', { layer: 'medium' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'layer' },
    });
  });

  it(`a move decided on A cuts the mover's media seated on B (bound: 200 ms or twice the one-instance cut), media.cut before participant.location, and the new room works`, async () => {
    // The mediator (socket on A) holds the plenary's media on A.
    await m.place(m.mediator, m.plenary);
    expect(await ask(m.mediator, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.plenary } });
    expect(await ownerOf(m.plenary)).toBe(instanceOf(A));
    const pm = await publish(m.mediator);
    expect(pm).toMatchObject({ ok: true });
    const mediatorFeed = (pm as any).data.feedId as string;

    // Both still decoding, the mover just now.
    expect(await freshFrame(m.a1, a1SeesA2)).toBe(true);
    expect(await freshFrame(m.a2, a2SeesA1)).toBe(true);
    const before1 = await sub(m.a1, a1SeesA2);
    const before2 = await sub(m.a2, a2SeesA1);

    // a2 (socket and seat on B) is moved by the mediator's request to A.
    const tMove = now();
    await m.place(m.a2, m.plenary);
    const tMoved = now();
    const moverSub = await stopped(m.a2, a2SeesA1);
    const othersSub = await stopped(m.a1, a1SeesA2);
    const moverCut = Math.max(0, moverSub.lastIncreaseAt! - tMove);
    const othersCut = Math.max(0, othersSub.lastIncreaseAt! - tMove);
    const evs = (await events(m.a2)).filter((e) => e.t >= tMove);
    const cutAt = evs.findIndex((e) => e.event === 'media.cut' && e.payload.roomId === m.caucusA);
    const locationAt = evs.findIndex((e) => e.event === 'participant.location');
    record('move on A: REST move request -> response', tMoved - tMove);
    if (cutAt >= 0) record('move on A: request -> media.cut at the mover (socket on B)', evs[cutAt].t - tMove);
    if (locationAt >= 0) record('move on A: request -> participant.location at the mover', evs[locationAt].t - tMove);
    record('move on A: request -> last frame of a1 decoded by the mover (seat on B)', moverCut, CUT_BOUND_MS);
    record('move on A: request -> last frame of the mover decoded by a1', othersCut, CUT_BOUND_MS);
    record('  (frames decoded by the mover from just before the request on)', moverSub.frames - before2.frames);
    record('  (frames of the mover decoded by a1 from just before the request on)', othersSub.frames - before1.frames);

    expect(cutAt).toBeGreaterThanOrEqual(0);
    expect(locationAt).toBeGreaterThan(cutAt);
    expect(now() - moverSub.lastIncreaseAt!).toBeGreaterThan(500);
    expect(now() - othersSub.lastIncreaseAt!).toBeGreaterThan(500);
    cross = { mover: moverCut, others: othersCut };
    expect(await redis.hget('parley:media:seats', m.a2.participantId!)).toBeNull();

    // The new room, held by A, works for the mover (requests from B forwarded to A).
    const tEnter = now();
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.plenary, feeds: [{ feedId: mediatorFeed }] } });
    const s = await subscribe(m.a2);
    expect(s).toMatchObject({ ok: true, feeds: [{ feedId: mediatorFeed }] });
    const v = await firstFrame(m.a2, s.id);
    expect(v.frames).toBeGreaterThan(0);
    record('mover in the plenary (socket on B, room on A): media.join -> first frame of the mediator', v.firstFrameAt! - tEnter);
    expect(await publish(m.a2)).toMatchObject({ ok: true });
    const ms = await subscribe(m.mediator);
    expect(ms.ok).toBe(true);
    expect((await firstFrame(m.mediator, ms.id)).frames).toBeGreaterThan(0);
    expect(await redis.hget('parley:media:seats', m.a2.participantId!)).toBe(instanceOf(A));
  });

  it('B killed while it holds the caucus: MEDIA_UNAVAILABLE at once, media.reset to the caucus, media again through A', async () => {
    expect(await ownerOf(m.caucusA)).toBe(instanceOf(B));
    const tKill = now();
    await B.kill();
    // a1's seat was on B: a request about it now answers at once, retryable.
    const tAsk = now();
    const refused = await ask(m.a1, 'media.subscribe');
    record('after SIGKILL of B: a1 media.subscribe -> answer', now() - tAsk);
    expect(refused).toMatchObject({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', retryable: true } });

    // The caucus is told to join again, by A (its sweep found B's room orphaned).
    const deadline = now() + RESET_BOUND_MS + 2_000;
    let reset: { t: number } | undefined;
    while (!reset && now() < deadline) {
      reset = (await events(m.a1)).find((e) => e.event === 'media.reset' && e.t >= tKill);
      if (!reset) await new Promise((r) => setTimeout(r, 50));
    }
    expect(reset).toBeDefined();
    record('SIGKILL of B -> media.reset at a1 (socket on A)', reset!.t - tKill, RESET_BOUND_MS);
    expect(reset!.t - tKill).toBeLessThanOrEqual(RESET_BOUND_MS);
    // The mediator is in the plenary, held by A: not told (its media lives), and still decoding.
    expect((await events(m.mediator)).some((e) => e.event === 'media.reset' && e.t >= tKill)).toBe(false);

    // a1 joins again: A now holds the caucus.
    await page(m.a1).evaluate(() => (globalThis as any).P.stopAll());
    const tRejoin = now();
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, feeds: [] } });
    expect(await ownerOf(m.caucusA)).toBe(instanceOf(A));
    expect(await publish(m.a1)).toMatchObject({ ok: true });
    // a2 (whose socket was on B) connects to A, is moved back, and decodes a1 there.
    await connect(m.a2, A);
    await page(m.a2).evaluate(() => (globalThis as any).P.stopAll());
    await m.place(m.a2, m.caucusA);
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA } });
    const s = await subscribe(m.a2);
    expect(s.ok).toBe(true);
    const v = await firstFrame(m.a2, s.id);
    expect(v.frames).toBeGreaterThan(0);
    record('after the reset: a1 media.join on A -> a2 (moved back, now on A) decodes a1', v.firstFrameAt! - tRejoin);

    // The control, on one instance, in this run: the same move (a2, socket and seat on A, moved
    // by a request to A, both directions measured) with everything on A.
    expect(await publish(m.a2)).toMatchObject({ ok: true });
    const back = await subscribe(m.a1);
    expect(back.ok).toBe(true);
    expect((await firstFrame(m.a1, back.id)).frames).toBeGreaterThan(0);
    expect(await freshFrame(m.a1, back.id)).toBe(true);
    expect(await freshFrame(m.a2, s.id)).toBe(true);
    const tMove = now();
    await m.place(m.a2, m.plenary);
    const control = {
      mover: Math.max(0, (await stopped(m.a2, s.id)).lastIncreaseAt! - tMove),
      others: Math.max(0, (await stopped(m.a1, back.id)).lastIncreaseAt! - tMove),
    };
    record('control, one instance: move request on A -> last frame decoded by the mover (seat on A)', control.mover);
    record('control, one instance: move request on A -> last frame of the mover decoded by a1', control.others);
    // The bound is the one-instance bound (200 ms) or, on a machine slowed by other work, twice
    // the one-instance cut measured in the same run (the figures are printed either way).
    const bound = { mover: Math.max(CUT_BOUND_MS, 2 * control.mover), others: Math.max(CUT_BOUND_MS, 2 * control.others) };
    record('bound applied to the mover cut across instances: max(200, 2 x control)', bound.mover);
    record("bound applied to the others' cut across instances: max(200, 2 x control)", bound.others);
    expect(cross).not.toBeNull();
    expect(cross!.mover).toBeLessThanOrEqual(bound.mover);
    expect(cross!.others).toBeLessThanOrEqual(bound.others);
  }, 180_000);

  it('C stopped with SIGTERM while it holds a caucus: the caucus is told media.reset, and media works again through A', async () => {
    expect(instanceOf(C)).toBeDefined();
    for (const [person, api] of [
      [m.b1, C],
      [m.b2, A],
    ] as const) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      const p = await context.newPage();
      await p.goto(siteUrl);
      pages.set(person, p);
      await connect(person, api);
    }
    expect(await ask(m.b1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusB } });
    expect(await ownerOf(m.caucusB)).toBe(instanceOf(C));
    expect(await publish(m.b1)).toMatchObject({ ok: true });
    expect(await ask(m.b2, 'media.join')).toMatchObject({
      ok: true,
      data: { roomId: m.caucusB, feeds: [{ participantId: m.b1.participantId }] },
    });
    const s = await subscribe(m.b2);
    expect((await firstFrame(m.b2, s.id)).frames).toBeGreaterThan(0);

    const tStop = now();
    const stopping = C.stop();
    let reset: { t: number } | undefined;
    while (!reset && now() - tStop < RESET_BOUND_MS + 5_000) {
      reset = (await events(m.b2)).find((e) => e.event === 'media.reset' && e.t >= tStop);
      if (!reset) await new Promise((r) => setTimeout(r, 50));
    }
    await stopping;
    expect(reset).toBeDefined();
    record('SIGTERM of C -> media.reset at b2 (socket on A)', reset!.t - tStop, RESET_BOUND_MS);
    expect(reset!.t - tStop).toBeLessThanOrEqual(RESET_BOUND_MS);
    expect(C.exit).toMatchObject({ code: 0 });

    await page(m.b2).evaluate(() => (globalThis as any).P.stopAll());
    expect(await ask(m.b2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusB } });
    expect(await ownerOf(m.caucusB)).toBe(instanceOf(A));
    await connect(m.b1, A);
    expect(await ask(m.b1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusB } });
    const tPub = now();
    expect(await publish(m.b1)).toMatchObject({ ok: true });
    const again = await subscribe(m.b2);
    expect(again).toMatchObject({ ok: true, feeds: [{ participantId: m.b1.participantId }] });
    const v = await firstFrame(m.b2, again.id);
    expect(v.frames).toBeGreaterThan(0);
    record('after the reset: b1 publishes on A -> b2 decodes it', v.firstFrameAt! - tPub);
  }, 240_000);
});
