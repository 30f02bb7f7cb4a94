import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Ack, LocationChanged, RoomEvent, RoomHistory, RoomPresence, ServerStopping } from '@parley/contracts';
import { ApiProcess, freePort } from './support/api-process';
import { freshDatabase, remoteApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { findHaproxy } from './support/haproxy';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * Past one instance (issue 17, item 5): the shipped HAProxy configuration (infra/haproxy/haproxy.cfg,
 * Debian's haproxy) in front of two API processes sharing one PostgreSQL and one Redis. Everything
 * goes through the proxy: sign-up, sessions, invitations, moves and chat, with the sockets spread
 * over both instances (counted at each instance's port). Then one instance is stopped (SIGTERM):
 * its sockets are told `server.stopping`, reconnect through the proxy to the other instance, rejoin,
 * and chat, moves and history work as before, with nothing acknowledged lost.
 */
const CONFIG = resolve(__dirname, '..', 'infra', 'haproxy', 'haproxy.cfg');

/** A page's socket, as the web client keeps it: reconnects (also after the server closed it) and rejoins. */
class Page {
  readonly events: Array<{ event: string; payload: any; at: number }> = [];
  connects = 0;
  private constructor(
    readonly name: string,
    readonly socket: Socket,
  ) {}

  static open(url: string, person: Person, sessionId: string): Promise<Page> {
    const socket = io(url, {
      transports: ['websocket'],
      auth: { token: person.token },
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    const page = new Page(person.name, socket);
    socket.onAny((event: string, payload: unknown) => page.events.push({ event, payload, at: Date.now() }));
    // The server closing the socket ("io server disconnect") is not retried by Socket.IO itself: the
    // page reconnects after the delay `server.stopping` asked for, as apps/web does.
    let after = 0;
    socket.on('server.stopping', (e: ServerStopping) => (after = e.reconnectAfterMs));
    socket.on('disconnect', (reason) => {
      page.events.push({ event: 'disconnect', payload: reason, at: Date.now() });
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), Math.min(after, 1_000));
    });
    return new Promise((ok, reject) => {
      socket.on('connect', () => {
        page.connects++;
        void (socket.timeout(10_000).emitWithAck('session.join', { sessionId }) as Promise<Ack<unknown>>).then((r) => {
          page.events.push({ event: 'joined', payload: r.ok, at: Date.now() });
          if (page.connects > 1) return;
          if (r.ok) ok(page);
          else reject(new Error(`${person.name} could not join: ${JSON.stringify(r)}`));
        }, reject);
      });
      socket.once('connect_error', (e) => {
        if (page.connects === 0) reject(e);
      });
    });
  }

  ask<T>(event: string, payload: unknown): Promise<Ack<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  async waitFor(event: string, match: (payload: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find((e) => e.event === event && match(e.payload));
      if (hit) return hit.payload;
      if (Date.now() > deadline) throw new Error(`${this.name}: no ${event} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.removeAllListeners('disconnect');
    this.socket.disconnect();
  }
}

/** Established TCP connections accepted on a port (the proxy's connections to that instance). */
function established(port: number): number {
  const out = spawnSync('ss', ['-Htn', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`ss failed: ${out.stderr}`);
  return out.stdout.split('\n').filter((l) => l.trim()).length;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeWhen(
  __filename,
  lacks.haproxy(),
  lacks.servers(),
)('two API instances behind HAProxy (infra/haproxy)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const apis: ApiProcess[] = [];
  let proxy: ChildProcess | null = null;
  let proxyLog = '';
  let proxyUrl = '';
  let app: TestApp;
  const pages: Page[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    const env = {
      DATABASE_URL: db!.url,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      JWT_SECRET: 'proxy-secret-proxy-secret-proxy-secret-proxy',
      TRUST_PROXY: 'loopback',
    };
    for (let i = 0; i < 2; i++) apis.push(new ApiProcess(await freePort(), env));
    // One after the other: both run the migrations at start, and the first one to start makes them.
    for (const api of apis) await api.start(120_000);

    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    proxy = spawn(findHaproxy()!, ['-db', '-f', CONFIG], {
      env: {
        ...process.env,
        PARLEY_PROXY_BIND: `127.0.0.1:${port}`,
        PARLEY_API_1: `127.0.0.1:${apis[0].port}`,
        PARLEY_API_2: `127.0.0.1:${apis[1].port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy.stdout!.on('data', (d: Buffer) => (proxyLog += d.toString()));
    proxy.stderr!.on('data', (d: Buffer) => (proxyLog += d.toString()));
    await until('the proxy answers /api/health/live', async () => {
      if (proxy!.exitCode !== null) throw new Error(`haproxy exited ${proxy!.exitCode}:\n${proxyLog}`);
      return fetch(`${proxyUrl}/api/health/live`).then(
        (r) => r.ok,
        () => false,
      );
    });
    app = remoteApp(proxyUrl);
  }, 300_000);

  afterAll(async () => {
    for (const p of pages) p.close();
    proxy?.kill('SIGTERM');
    for (const api of apis) {
      api.signal('SIGTERM');
      await api.exited(20_000).catch(() => api.signal('SIGKILL'));
    }
    await db?.drop();
  });

  let sessionId = '';
  let plenary = '';
  let northCaucus = '';
  const people: Person[] = [];

  it('serves sign-up, sessions, invitations, moves and chat through the proxy, with sockets on both instances', async () => {
    const mediator = await register(app, 'Proxy Mediator');
    const session = await createSession(app, mediator, ['North', 'South']);
    sessionId = session.id;
    plenary = roomOf(session, 'plenary').id;
    northCaucus = session.parties[0].caucusRoomId!;
    people.push(mediator);
    for (const [i, party] of [session.parties[0], session.parties[0], session.parties[1], session.parties[1]].entries()) {
      people.push(
        await inviteNew(app, mediator, sessionId, `${party.name} ${i % 2 ? 'Member' : 'Head'}`, {
          role: 'party_member',
          partyId: party.id,
          isHead: i % 2 === 0,
        }),
      );
    }
    await app.http().post(`/api/sessions/${sessionId}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    for (const p of people) {
      await app
        .http()
        .post(`/api/sessions/${sessionId}/participants/${p.participantId}/admit`)
        .set(bearer(mediator))
        .send({ roomId: plenary })
        .expect(200);
    }
    for (const p of people) pages.push(await Page.open(proxyUrl, p, sessionId));

    // leastconn spread the five sockets: each instance holds at least two (health checks come and go).
    const [a, b] = apis.map((x) => established(x.port));
    expect(a).toBeGreaterThanOrEqual(2);
    expect(b).toBeGreaterThanOrEqual(2);

    // Chat from every page reaches every other page, whichever instance holds it.
    for (const [i, page] of pages.entries()) {
      const r = await page.ask<RoomEvent>('chat.post', { roomId: plenary, text: `before ${i}`, clientMessageId: `before-proxy-${i}` });
      expect(r.ok).toBe(true);
    }
    // (The sender has its own in the ack: no echo.)
    for (const [k, page] of pages.entries()) {
      for (let i = 0; i < pages.length; i++)
        if (i !== k) await page.waitFor('room.event', (e: RoomEvent) => JSON.stringify(e).includes(`before ${i}`));
    }

    // A move made on a socket of one instance cuts and places the mover's socket wherever it is.
    const [m, northHead] = pages;
    const moved = await m.ask<LocationChanged>('participant.move', { participantId: people[1].participantId, roomId: northCaucus });
    expect(moved.ok).toBe(true);
    await northHead.waitFor('participant.location', (e: LocationChanged) => e.room?.id === northCaucus);
    await pages[3].waitFor(
      'room.presence',
      (e: RoomPresence) => e.roomId === plenary && !e.occupants.some((o) => o.participantId === people[1].participantId),
    );
  });

  it('carries the clients of a stopped instance to the other one: they rejoin, and chat, moves and history work', async () => {
    const victim = apis[0].port;
    const onVictim = established(victim);
    expect(onVictim).toBeGreaterThan(0);
    const stoppedAt = Date.now();
    apis[0].signal('SIGTERM');
    expect(await apis[0].exited(30_000)).toEqual({ code: 0, signal: null });

    // Every page that was on the stopped instance was told, and is back, joined, through the proxy.
    const told = pages.filter((p) => p.events.some((e) => e.event === 'server.stopping'));
    expect(told.length).toBeGreaterThanOrEqual(2);
    await until(
      'every told page rejoined',
      () => told.every((p) => p.connects >= 2 && p.events.filter((e) => e.event === 'joined' && e.payload === true).length >= 2),
      20_000,
    );
    const back = Math.max(...told.map((p) => p.events.filter((e) => e.event === 'joined').at(-1)!.at)) - stoppedAt;
    console.log(`proxy-instances: ${told.length} of ${pages.length} pages on the stopped instance, all rejoined ${back} ms after SIGTERM`);
    expect(established(apis[1].port)).toBeGreaterThanOrEqual(pages.length);

    // Chat from each page (carried or not) reaches every page still in the plenary.
    const inPlenary = pages.filter((_, i) => i !== 1);
    for (const [i, page] of inPlenary.entries()) {
      const r = await page.ask<RoomEvent>('chat.post', { roomId: plenary, text: `after ${i}`, clientMessageId: `after-proxy-${i}` });
      expect(r.ok ? { ok: true } : { ok: false, who: page.name, error: r.error }).toEqual({ ok: true });
    }
    for (const [k, page] of inPlenary.entries()) {
      for (let i = 0; i < inPlenary.length; i++)
        if (i !== k) await page.waitFor('room.event', (e: RoomEvent) => JSON.stringify(e).includes(`after ${i}`));
    }
    // The mover comes back to the plenary, through the surviving instance.
    const back2 = await pages[0].ask<LocationChanged>('participant.move', { participantId: people[1].participantId, roomId: plenary });
    expect(back2.ok).toBe(true);
    await pages[1].waitFor('participant.location', (e: LocationChanged) => e.room?.id === plenary);

    // Nothing acknowledged was lost: the plenary's history holds every message, once.
    const history = await pages[2].ask<RoomHistory>('room.history', { roomId: plenary, afterSeq: 0, limit: 200 });
    expect(history.ok).toBe(true);
    const texts = (history.ok ? history.data.events : []).map((e) => JSON.stringify(e));
    for (let i = 0; i < pages.length; i++) expect(texts.filter((t) => t.includes(`"before ${i}"`))).toHaveLength(1);
    for (let i = 0; i < inPlenary.length; i++) expect(texts.filter((t) => t.includes(`"after ${i}"`))).toHaveLength(1);

    // HTTP goes on through the proxy (the stopped instance is marked down and skipped).
    for (let i = 0; i < 6; i++) {
      await app.http().get(`/api/sessions/${sessionId}`).set(bearer(people[0])).expect(200);
    }
  });
});
