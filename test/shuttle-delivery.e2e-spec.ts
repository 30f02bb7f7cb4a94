import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { StreamCursor, type RoomEvent, type RoomHistory } from '@parley/contracts';
import { ApiProcess, freePort } from './support/api-process';
import { freshDatabase, startApp, TestClient, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { bearer, type Person } from './support/people';

/** A small seeded generator, so a failing run can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const SEED = Number(process.env.TEST_SEED ?? Date.now() % 100000);

/**
 * A participant whose connection drops at random moments. Everything it receives — live, or
 * caught up after reconnecting — goes through a StreamCursor: it must end with every event of the
 * room exactly once, in order.
 */
class FlakyReader {
  readonly cursor = new StreamCursor();
  readonly delivered: RoomEvent[] = [];
  private client: TestClient | null = null;
  reconnects = 0;

  constructor(
    private readonly url: string,
    private readonly person: Person,
    private readonly sessionId: string,
    private readonly roomId: string,
  ) {}

  async connect(): Promise<void> {
    const c = await TestClient.connect(this.url, this.person.token);
    c.socket.on('room.event', (e: RoomEvent) => void this.offer([e]));
    await c.join(this.sessionId);
    this.client = c;
    await this.catchUp();
  }

  drop(): void {
    this.client?.close();
    this.client = null;
  }

  async reconnect(): Promise<void> {
    this.drop();
    this.reconnects++;
    await this.connect();
  }

  /** Reads the room after the cursor until nothing more is there. */
  async catchUp(): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      const r = await this.client!.ask<RoomHistory>('room.history', {
        roomId: this.roomId,
        afterSeq: this.cursor.lastSeq(this.roomId),
        limit: 50,
      });
      if (!r.ok) throw new Error(r.error.code);
      await this.offer(r.data.events);
      if (!r.data.more) return;
    }
  }

  private async offer(events: RoomEvent[]): Promise<void> {
    for (const e of events) {
      if (e.roomId !== this.roomId) continue;
      const verdict = this.cursor.accept(e);
      if (verdict === 'new') this.delivered.push(e);
      // A gap: fetch what is missing. If the connection drops meanwhile, the reconnect catches up.
      if (verdict === 'gap' && this.client) await this.catchUp().catch(() => undefined);
    }
  }
}

describe('nothing lost: readers dropping at random points during a burst', () => {
  let app: TestApp;
  let m: Mediation;
  beforeAll(async () => {
    app = await startApp();
    m = await startMediation(app);
    for (const p of [m.a1, m.a2, m.b1, m.b2]) await m.place(p, m.plenary);
    await m.place(m.mediator, m.plenary);
  });
  afterAll(async () => {
    await app.close();
    m.close();
  });

  it(`delivers every message exactly once, in order (seed ${SEED})`, async () => {
    const rand = prng(SEED);
    const readers = [m.a2, m.b2, m.observer].map((p) => new FlakyReader(app.url, p, m.session.id, m.plenary));
    await Promise.all(readers.map((r) => r.connect()));

    const PER_POSTER = 30;
    const acked: string[] = [];
    const posters = [m.mediator, m.a1, m.b1].map(async (p, i) => {
      for (let n = 0; n < PER_POSTER; n++) {
        const key = randomUUID();
        const ack = await m.client(p).ask<RoomEvent>('chat.post', { roomId: m.plenary, text: `burst ${i}.${n}`, clientMessageId: key });
        if (!ack.ok) throw new Error(ack.error.code);
        acked.push(key);
      }
    });
    // Each reader drops 4 times at random moments while the burst runs.
    const chaos = readers.map(async (r) => {
      for (let k = 0; k < 4; k++) {
        await new Promise((res) => setTimeout(res, 20 + rand() * 150));
        r.drop();
        await new Promise((res) => setTimeout(res, rand() * 60));
        await r.reconnect();
      }
    });
    await Promise.all([...posters, ...chaos]);
    await Promise.all(readers.map((r) => r.catchUp()));

    const history = (await m.get(m.mediator, `/rooms/${m.plenary}/events?afterSeq=0&limit=200`).expect(200)).body as RoomHistory;
    expect(history.events).toHaveLength(3 * PER_POSTER);
    expect(history.events.map((e) => e.seq)).toEqual(history.events.map((_, i) => i + 1));
    const keys = history.events.map((e) => (e.payload as { clientMessageId: string }).clientMessageId);
    expect(new Set(keys)).toEqual(new Set(acked));
    for (const r of readers) {
      expect(r.reconnects).toBe(4);
      expect(r.delivered.map((e) => e.seq)).toEqual(history.events.map((e) => e.seq));
      expect(r.delivered.map((e) => (e.payload as { text: string }).text)).toEqual(
        history.events.map((e) => (e.payload as { text: string }).text),
      );
    }
  });
});

describe('nothing lost: the API killed mid-stream', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string | null = null;
  let api: ApiProcess;

  beforeAll(async () => {
    db = await freshDatabase();
    const env: Record<string, string> = { JWT_SECRET: 'kill-test-secret-kill-test-secret-kill-test' };
    if (db) env.DATABASE_URL = db.url;
    else env.DATA_DIR = dataDir = mkdtempSync(join(tmpdir(), 'parley-kill-'));
    api = new ApiProcess(await freePort(), env);
    await api.start();
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message, and stores each retried one once', async () => {
    const http = () => request(api.url);
    const reg = async (name: string) => {
      const res = await http()
        .post('/api/auth/register')
        .send({ email: `${name}.${randomUUID()}@parley.test`, password: 'long enough password', displayName: name })
        .expect(201);
      return { token: res.body.accessToken as string };
    };
    const mediator = await reg('Mediator');
    const session = (
      await http()
        .post('/api/sessions')
        .set(bearer(mediator))
        .send({ title: 'Kill test', parties: ['A'] })
        .expect(201)
    ).body;
    const plenary = session.rooms.find((r: { kind: string }) => r.kind === 'plenary').id;
    await http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    await http()
      .post(`/api/sessions/${session.id}/participants/${session.me.id}/admit`)
      .set(bearer(mediator))
      .send({ roomId: plenary })
      .expect(200);

    const client = await TestClient.connect(api.url, mediator.token);
    await client.join(session.id);
    const acked: string[] = [];
    const attempted: string[] = [];
    let killed = false;
    const post = async (key: string) => {
      try {
        const ack = await client.socket
          .timeout(2000)
          .emitWithAck('chat.post', { roomId: plenary, text: `message ${key}`, clientMessageId: key });
        if (ack.ok) acked.push(key);
      } catch {
        // no acknowledgement: unknown whether it was stored — the client will retry it
      }
    };
    // Posts keep flowing (4 in flight at a time) while the process is killed.
    const writers = Array.from({ length: 4 }, async () => {
      for (let n = 0; n < 200 && !(killed && client.socket.disconnected); n++) {
        const key = randomUUID();
        attempted.push(key);
        await post(key);
      }
    });
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 5));
    await api.kill();
    killed = true;
    await Promise.all(writers);
    client.close();
    expect(acked.length).toBeGreaterThanOrEqual(40);

    await api.start();
    const again = await TestClient.connect(api.url, mediator.token);
    await again.join(session.id);
    const read = async () => {
      const all: RoomEvent[] = [];
      for (let after = 0; ;) {
        const r = await again.ask<RoomHistory>('room.history', { roomId: plenary, afterSeq: after, limit: 200 });
        if (!r.ok) throw new Error(r.error.code);
        all.push(...r.data.events);
        if (!r.data.more) return all;
        after = r.data.events.at(-1)!.seq;
      }
    };
    const stored = (await read()).map((e) => (e.payload as { clientMessageId: string }).clientMessageId);
    for (const key of acked) expect(stored).toContain(key);
    expect(new Set(stored).size).toBe(stored.length);

    // The client retries everything it never heard back about, with the same keys.
    for (const key of attempted.filter((k) => !acked.includes(k))) {
      const r = await again.ask('chat.post', { roomId: plenary, text: `message ${key}`, clientMessageId: key });
      expect(r.ok).toBe(true);
    }
    const final = await read();
    expect(final.map((e) => (e.payload as { clientMessageId: string }).clientMessageId).sort()).toEqual([...attempted].sort());
    expect(final.map((e) => e.seq)).toEqual(final.map((_, i) => i + 1));
    again.close();
  }, 120_000);
});
