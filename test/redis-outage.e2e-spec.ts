import { randomUUID } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import request from 'supertest';
import type { Ack, HttpErrorBody, RoomEvent, RoomHistory } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { DependencyMonitor } from '@parley/platform';
import { ApiProcess, freePort } from './support/api-process';
import { freshDatabase, remoteApp, startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';
import { describeWhen, lacks } from './support/needs';
import { RedisServer } from './support/redis-server';
import { SocketIoChannel } from '../libs/sessions/src/infrastructure/realtime/socket-io.channel';
import { MembershipHeal } from '../libs/sessions/src/infrastructure/realtime/membership-heal';

/**
 * Redis may fail. Two API processes on one PostgreSQL and a redis-server of the test's own, with
 * chat traffic from clients on both: Redis stopped for 10 s, then a Redis that accepts connections
 * but answers nothing (SIGSTOP). Both processes stay up, every acknowledged message is stored
 * once, each instance keeps serving its own sockets, the outage is logged once per instance
 * (start and end), live delivery across instances resumes, and clients told `session.resync`
 * catch up from history.
 *
 * Needs `redis-server` and a PostgreSQL server: two processes cannot share the embedded database
 * (one process owns it), so this is one of the suites `npm run test:servers` runs (jest.config.js),
 * like multi-instance.e2e-spec.ts.
 */

const JWT_SECRET = 'redis-outage-secret-redis-outage-secret';
const OUTAGE_LINE = 'redis unavailable:';
const BACK_LINE = 'redis back after';
/** The bound this suite holds the platform to for declaring a Redis that hangs: probe every 1 s, 1 s to answer. */
const HANG_DECLARED_WITHIN_MS = 5_000;

const count = (text: string, needle: string) => text.split(needle).length - 1;

async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs: number,
  everyMs = 50,
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as Exclude<T, false | null | undefined>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Posted {
  clientMessageId: string;
  text: string;
  ack: Ack<RoomEvent> | null;
  error?: string;
  at: number;
}

/** Posts every `everyMs` until stopped; records every answer. */
function traffic(client: TestClient, roomId: string, tag: string, everyMs = 100) {
  const posted: Posted[] = [];
  let running = true;
  const done = (async () => {
    let i = 0;
    while (running) {
      const clientMessageId = randomUUID();
      const text = `${tag} ${++i}`;
      const at = Date.now();
      try {
        const ack = await client.ask<RoomEvent>('chat.post', { roomId, text, clientMessageId });
        posted.push({ clientMessageId, text, ack, at });
      } catch (e) {
        posted.push({ clientMessageId, text, ack: null, error: (e as Error).message, at });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    posted,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** The whole stream of a room, read by `client`, oldest first. */
async function wholeHistory(client: TestClient, roomId: string, afterSeq = 0): Promise<RoomEvent[]> {
  const out: RoomEvent[] = [];
  for (let after = afterSeq; ;) {
    const r = await client.ask<RoomHistory>('room.history', { roomId, afterSeq: after, limit: 200 });
    if (!r.ok) throw new Error(`room.history: ${r.error.code}`);
    out.push(...r.data.events);
    if (!r.data.more || r.data.events.length === 0) return out;
    after = r.data.events[r.data.events.length - 1].seq;
  }
}

/** Health polled on both instances all along: every answer (or failure to answer) is kept. */
function healthWatch(apps: ApiProcess[]) {
  const answers: Array<{ port: number; path: string; status: number | null; at: number; code?: string }> = [];
  let running = true;
  const done = (async () => {
    while (running) {
      for (const app of apps) {
        for (const path of ['/api/health', '/api/health/live']) {
          try {
            const res = await fetch(`${app.url}${path}`, { signal: AbortSignal.timeout(10_000) });
            const body = (await res.json().catch(() => ({}))) as { code?: string };
            answers.push({ port: app.port, path, status: res.status, at: Date.now(), code: body.code });
          } catch {
            answers.push({ port: app.port, path, status: null, at: Date.now() });
          }
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describeWhen(
  __filename,
  lacks.redisServer(),
  lacks.servers(),
)('Redis outage: two instances, chat traffic, Redis stopped and frozen', () => {
  let redis: RedisServer;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let one: ApiProcess;
  let two: ApiProcess;
  let mediator: Person;
  let north: Person;
  let south: Person;
  let sessionId: string;
  let plenary: string;
  let m: TestClient; // on one
  let s: TestClient; // on one
  let n: TestClient; // on two
  const figures: Record<string, number | string> = {};

  beforeAll(async () => {
    redis = await RedisServer.start();
    db = await freshDatabase();
    const env = { DATABASE_URL: db!.url, REDIS_URL: redis.url, JWT_SECRET, LOG_LEVEL: 'log' };
    one = new ApiProcess(await freePort(), env);
    two = new ApiProcess(await freePort(), env);
    await one.start(120_000);
    await two.start(120_000);

    mediator = await register(remoteApp(one.url), 'Outage Mediator');
    const session = await createSession(remoteApp(one.url), mediator, ['North', 'South']);
    sessionId = session.id;
    plenary = roomOf(session, 'plenary').id;
    north = await inviteNew(remoteApp(one.url), mediator, sessionId, 'North Member', {
      role: 'party_member',
      partyId: session.parties[0].id,
    });
    south = await inviteNew(remoteApp(one.url), mediator, sessionId, 'South Member', {
      role: 'party_member',
      partyId: session.parties[1].id,
    });
    await request(one.url).post(`/api/sessions/${sessionId}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    for (const p of [mediator, north, south]) {
      await request(one.url)
        .post(`/api/sessions/${sessionId}/participants/${p.participantId}/admit`)
        .set(bearer(mediator))
        .send({ roomId: plenary })
        .expect(200);
    }
    m = await TestClient.connect(one.url, mediator.token);
    s = await TestClient.connect(one.url, south.token);
    n = await TestClient.connect(two.url, north.token);
    for (const c of [m, s, n]) await c.join(sessionId);
    // Fan-out across instances works before anything fails.
    const hello = await m.ask<RoomEvent>('chat.post', { roomId: plenary, text: 'before anything fails', clientMessageId: randomUUID() });
    expect(hello.ok).toBe(true);
    await n.waitFor('room.event', (e: RoomEvent) => hello.ok && e.seq === hello.data.seq, 10_000);
  }, 300_000);

  afterAll(async () => {
    for (const c of [m, s, n]) c?.close();
    await one?.stop();
    await two?.stop();
    await redis?.dispose();
    await db?.drop();
    const lines = [one, two].flatMap((p, i) =>
      (p?.log ?? '')
        .split('\n')
        .filter((l) => /redis (unavailable|back)/.test(l))
        .map((l) => `instance ${i + 1}: ${stripVTControlCharacters(l).trim()}`),
    );
    console.log(`Redis outage figures: ${JSON.stringify(figures)}\n${lines.join('\n')}`);
  }, 60_000);

  /** Posts on one until north (on two) hears it live; returns the time it took from `since`. */
  async function crossInstanceResumed(since: number, timeoutMs: number): Promise<number> {
    return until(
      'live delivery from instance one to instance two',
      async () => {
        const probe = await m.ask<RoomEvent>('chat.post', {
          roomId: plenary,
          text: `probe ${randomUUID()}`,
          clientMessageId: randomUUID(),
        });
        if (!probe.ok) return false;
        const seq = probe.data.seq;
        try {
          await n.waitFor('room.event', (e: RoomEvent) => e.roomId === plenary && e.seq === seq, 500);
          return Date.now() - since;
        } catch {
          return false;
        }
      },
      timeoutMs,
      0,
    );
  }

  /** Every acknowledged post is in the room's history exactly once, and the stream has no gap. */
  async function assertStoredOnce(posted: Posted[]) {
    const history = await wholeHistory(m, plenary);
    const seqs = history.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const ids = history.filter((e) => e.type === 'chat.message').map((e) => (e.payload as { clientMessageId: string }).clientMessageId);
    const acked = posted.filter((p) => p.ack?.ok);
    for (const p of acked) expect(ids.filter((id) => id === p.clientMessageId)).toHaveLength(1);
    return { history, acked };
  }

  it('Redis stopped for 10 s under traffic: both stay up, nothing acknowledged is lost, one outage line each, fan-out and clients recover', async () => {
    const health = healthWatch([one, two]);
    const fromOne = traffic(m, plenary, 'mediator on one');
    const fromTwo = traffic(n, plenary, 'north on two');
    let stoppedAt = 0;
    let restartedAt = 0;
    try {
      await until('traffic flowing', () => fromOne.posted.length >= 5 && fromTwo.posted.length >= 5, 20_000);
      for (const c of [m, s, n]) c.clear();

      stoppedAt = Date.now();
      await redis.stop();
      await until('both instances log the outage', () => one.log.includes(OUTAGE_LINE) && two.log.includes(OUTAGE_LINE), 10_000, 10);
      figures.stopToOutageLogMs = Date.now() - stoppedAt;

      // Each instance still serves its own sockets: South (on one) hears the mediator (on one) live.
      const local = await m.ask<RoomEvent>('chat.post', {
        roomId: plenary,
        text: 'said while Redis is away',
        clientMessageId: randomUUID(),
      });
      expect(local.ok).toBe(true);
      await s.waitFor('room.event', (e: RoomEvent) => local.ok && e.seq === local.data.seq, 5_000);

      // A move needs every instance (the moved person's sockets may be on the other): refused, nothing changed.
      const caucus = (await request(one.url).get(`/api/sessions/${sessionId}`).set(bearer(mediator)).expect(200)).body.rooms.find(
        (r: { kind: string; partyId: string | null }) => r.kind === 'caucus' && r.partyId !== null,
      ).id as string;
      const refused = await request(two.url)
        .post(`/api/sessions/${sessionId}/participants/${north.participantId}/move`)
        .set(bearer(mediator))
        .send({ roomId: caucus });
      expect(refused.status).toBe(503);
      expect(refused.body as HttpErrorBody).toMatchObject({ code: 'REDIS_UNAVAILABLE', retryable: true });
      const overAck = await m.ask('participant.move', { participantId: south.participantId, roomId: caucus });
      expect(overAck).toMatchObject({ ok: false, error: { code: 'REDIS_UNAVAILABLE', retryable: true } });

      // The 10 s, while traffic goes on.
      await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 10_000 - Date.now())));
      expect(one.alive && two.alive).toBe(true);

      restartedAt = Date.now();
      await redis.start();
      figures.startToCrossInstanceDeliveryMs = await crossInstanceResumed(restartedAt, 20_000);
      await until('both instances log the end of the outage', () => one.log.includes(BACK_LINE) && two.log.includes(BACK_LINE), 10_000);
      figures.startToBackLogMs = Date.now() - restartedAt;
      // The other direction too.
      const back = await n.ask<RoomEvent>('chat.post', { roomId: plenary, text: 'north after the outage', clientMessageId: randomUUID() });
      expect(back.ok).toBe(true);
      await m.waitFor('room.event', (e: RoomEvent) => back.ok && e.seq === back.data.seq, 5_000);

      // Every client was told to catch up; one that reads history after its last seq gets what it missed.
      for (const c of [m, s, n]) await c.waitFor('session.resync', (e: { reason: string }) => e.reason === 'fanout_restored', 10_000);
    } finally {
      await fromOne.stop();
      await fromTwo.stop();
      await health.stop();
    }

    const posted = [...fromOne.posted, ...fromTwo.posted];
    expect(posted.filter((p) => !p.ack || !p.ack.ok)).toEqual([]);
    const { history, acked } = await assertStoredOnce(posted);
    figures.ackedMessages = acked.length;
    // Posted between the stop and the restart, acknowledged, and (assertStoredOnce) in history once.
    figures.ackedWhileRedisStopped = acked.filter((p) => p.at >= stoppedAt && p.at <= restartedAt).length;
    expect(figures.ackedWhileRedisStopped).toBeGreaterThan(20);

    // North (on two) missed the posts made on one while Redis was away; history after the last seq it
    // holds without a hole gives exactly those.
    const liveSeqs = new Set(
      n.events.filter((e) => e.event === 'room.event' && e.payload.roomId === plenary).map((e) => (e.payload as RoomEvent).seq),
    );
    const firstSeq = Math.min(...liveSeqs);
    const missed = history.filter((e) => e.seq > firstSeq && !liveSeqs.has(e.seq)).map((e) => e.seq);
    expect(missed.length).toBeGreaterThan(0);
    figures.missedLiveByNorth = missed.length;
    let held = firstSeq;
    while (liveSeqs.has(held + 1)) held += 1;
    const caughtUp = (await wholeHistory(n, plenary, held)).map((e) => e.seq);
    expect(caughtUp).toEqual(expect.arrayContaining(missed));

    // Both processes up; one outage line and one end line each, not one per message.
    expect(one.alive && two.alive).toBe(true);
    for (const app of [one, two]) {
      expect(count(app.log, OUTAGE_LINE)).toBe(1);
      expect(count(app.log, BACK_LINE)).toBe(1);
      expect(app.log).not.toMatch(/Unhandled promise rejection|UnhandledPromiseRejection|Unhandled error event/);
    }
    // Health answered throughout; liveness stayed 200, readiness said Redis was missing meanwhile.
    expect(health.answers.filter((a) => a.status === null)).toEqual([]);
    expect(health.answers.filter((a) => a.path === '/api/health/live' && a.status !== 200)).toEqual([]);
    expect(health.answers.some((a) => a.path === '/api/health' && a.status === 503 && a.code === 'REDIS_UNAVAILABLE')).toBe(true);
    figures.healthPolls = health.answers.length;
  }, 120_000);

  it('a Redis that accepts but never answers (SIGSTOP, 6 s) is an outage too, declared within 5 s; the instances stay up and heal', async () => {
    const fromOne = traffic(m, plenary, 'mediator on one (frozen)');
    const fromTwo = traffic(n, plenary, 'north on two (frozen)');
    const outagesBefore = [count(one.log, OUTAGE_LINE), count(two.log, OUTAGE_LINE)];
    try {
      await until('traffic flowing', () => fromOne.posted.length >= 3 && fromTwo.posted.length >= 3, 20_000);
      const frozenAt = Date.now();
      redis.freeze();
      await until(
        'both instances declare the outage',
        () => count(one.log, OUTAGE_LINE) > outagesBefore[0] && count(two.log, OUTAGE_LINE) > outagesBefore[1],
        15_000,
        10,
      );
      figures.freezeToOutageLogMs = Date.now() - frozenAt;
      expect(Date.now() - frozenAt).toBeLessThanOrEqual(HANG_DECLARED_WITHIN_MS);

      const local = await m.ask<RoomEvent>('chat.post', { roomId: plenary, text: 'said while Redis hangs', clientMessageId: randomUUID() });
      expect(local.ok).toBe(true);
      await s.waitFor('room.event', (e: RoomEvent) => local.ok && e.seq === local.data.seq, 5_000);
      const posts = fromOne.posted.length + fromTwo.posted.length;
      await until('traffic goes on while Redis hangs', () => fromOne.posted.length + fromTwo.posted.length >= posts + 6, 10_000);
      // Frozen for 6 s in all: a Redis that holds its connections open but answers nothing is never taken for back.
      await new Promise((r) => setTimeout(r, Math.max(0, frozenAt + 6_000 - Date.now())));
      expect(one.alive && two.alive).toBe(true);
      expect([count(one.log, BACK_LINE), count(two.log, BACK_LINE)]).toEqual([1, 1]);
      figures.ackedWhileFrozen = [...fromOne.posted, ...fromTwo.posted].filter((p) => p.at >= frozenAt && p.ack?.ok).length;

      n.clear();
      const thawedAt = Date.now();
      redis.thaw();
      figures.thawToCrossInstanceDeliveryMs = await crossInstanceResumed(thawedAt, 20_000);
      await until('both instances log the end', () => count(one.log, BACK_LINE) === 2 && count(two.log, BACK_LINE) === 2, 10_000);
      await n.waitFor('session.resync', () => true, 10_000);
    } finally {
      await fromOne.stop();
      await fromTwo.stop();
    }
    const posted = [...fromOne.posted, ...fromTwo.posted];
    expect(posted.filter((p) => !p.ack || !p.ack.ok)).toEqual([]);
    await assertStoredOnce(posted);
    expect(one.alive && two.alive).toBe(true);
    for (const app of [one, two]) {
      expect(count(app.log, OUTAGE_LINE)).toBe(2);
      expect(count(app.log, BACK_LINE)).toBe(2);
    }
  }, 120_000);
});

/**
 * The heal when fan-out returns: a move stored in the instant before an outage was declared may
 * have cut only the sockets of the instance that made it. When Redis is back, every instance
 * re-derives its own sockets' rooms from the stored membership. Played in one process (runs on
 * the embedded database too): the stored room changes without the sockets being told, then the
 * monitor sees Redis go and come back.
 */
describe("after a fan-out outage, each instance re-derives its sockets' rooms from the stored membership", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A mediator and North, both seated in the plenary and connected; `heard()` posts there as the mediator and says whether North's socket got it. */
  async function seatedInPlenary(tag: string) {
    const mediator = await register(app, `${tag} Mediator`);
    const session = await createSession(app, mediator, ['North']);
    const plenary = roomOf(session, 'plenary').id;
    const caucus = session.parties[0].caucusRoomId!;
    const north = await inviteNew(app, mediator, session.id, `North ${tag}`, { role: 'party_member', partyId: session.parties[0].id });
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    for (const p of [mediator, north]) {
      await app
        .http()
        .post(`/api/sessions/${session.id}/participants/${p.participantId}/admit`)
        .set(bearer(mediator))
        .send({ roomId: plenary })
        .expect(200);
    }
    const m = await TestClient.connect(app.url, mediator.token);
    const n = await TestClient.connect(app.url, north.token);
    await m.join(session.id);
    await n.join(session.id);
    const heard = async () => {
      const post = await m.ask<RoomEvent>('chat.post', { roomId: plenary, text: `plenary ${randomUUID()}`, clientMessageId: randomUUID() });
      if (!post.ok) throw new Error(post.error.code);
      await n.sync();
      return n.events.some((e) => e.event === 'room.event' && e.payload.seq === post.data.seq);
    };
    /** The move as another instance stored it while this one could not be reached. */
    const storeMoveUntold = () =>
      app.app.get(DataSource).query('UPDATE participants SET room_id = $1 WHERE id = $2', [caucus, north.participantId]);
    const close = () => {
      m.close();
      n.close();
    };
    return { mediator, session, plenary, caucus, north, heard, storeMoveUntold, close };
  }

  it('a person whose move reached the database but not their socket stops hearing the old room once Redis is back', async () => {
    const { heard, storeMoveUntold, close } = await seatedInPlenary('Heal');
    try {
      await storeMoveUntold();
      // Stale until the heal: North's socket still hears the plenary.
      expect(await heard()).toBe(true);

      const monitor = app.app.get(DependencyMonitor);
      monitor.down('redis', 'test: fan-out lost');
      monitor.up('redis');
      await until("the heal takes North's socket out of the plenary", async () => !(await heard()), 10_000);
      expect(await heard()).toBe(false);
    } finally {
      close();
    }
  });

  it('a move made while the heal runs is not undone by it: the heal re-reads what it synced and syncs again what changed', async () => {
    const { mediator, session, plenary, caucus, north, heard, close } = await seatedInPlenary('Heal Race');
    const channel = app.app.get(SocketIoChannel);
    const original = channel.syncParticipant.bind(channel);
    const sync = jest.spyOn(channel, 'syncParticipant');
    try {
      // The heal has read North in the plenary; before its sync of North, the mediator moves North
      // to the caucus, and that move's own sync (everywhere) and re-check complete first.
      let moved: Promise<unknown> | null = null;
      sync.mockImplementation(async (sessionId, placement, scope) => {
        if (scope === 'local' && placement.id === north.participantId && !moved) {
          moved = app
            .http()
            .post(`/api/sessions/${session.id}/participants/${north.participantId}/move`)
            .set(bearer(mediator))
            .send({ roomId: caucus })
            .expect(200);
          await moved;
        }
        return original(sessionId, placement, scope);
      });
      // The heal as the monitor starts it when Redis is back, awaited here.
      expect(await app.app.get(MembershipHeal).heal()).toBeGreaterThanOrEqual(2);
      expect(moved).not.toBeNull();
      const northLocal = sync.mock.calls.filter((c) => c[2] === 'local' && c[1].id === north.participantId).map((c) => c[1].roomId);
      sync.mockRestore();

      // North's socket does not hear the plenary it was moved out of.
      expect(await heard()).toBe(false);
      // North's heal syncs: the stale one (plenary), then the re-read's (caucus).
      expect(northLocal).toEqual([plenary, caucus]);
    } finally {
      sync.mockRestore();
      close();
    }
  });

  it('a heal that fails (the database unreachable just then) is tried again, and heals', async () => {
    const { heard, storeMoveUntold, close } = await seatedInPlenary('Heal Retry');
    const local = jest
      .spyOn(app.app.get(SocketIoChannel), 'localParticipants')
      .mockRejectedValueOnce(new Error('test: Connection terminated unexpectedly'));
    try {
      await storeMoveUntold();
      expect(await app.app.get(MembershipHeal).heal()).toBeGreaterThanOrEqual(2);
      expect(local).toHaveBeenCalledTimes(2);
      expect(await heard()).toBe(false);
    } finally {
      local.mockRestore();
      close();
    }
  });
});
