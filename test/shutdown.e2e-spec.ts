import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Ack, RoomEvent, RoomHistory, ServerStopping } from '@parley/contracts';
import { ApiProcess, freePort } from './support/api-process';
import { freshDatabase, remoteApp, TestClient } from './support/harness';
import { bearer, createSession, register, roomOf, type Person } from './support/people';

/**
 * SIGTERM drains (the real process, as `npm start` runs it): requests already received are
 * answered, then every socket is told `server.stopping` and closed; requests arriving meanwhile
 * are refused SERVER_STOPPING (retryable, nothing stored); new connections are refused; the
 * database closes cleanly (the embedded one can be opened again at once) and the process exits 0,
 * with one line when the stop begins and one when it is done.
 */
const BURST = 30;

/** Resolves once the client has handed every frame it was asked to send to the kernel (bounded wait). */
async function written(c: TestClient): Promise<void> {
  const engine = c.socket.io.engine as unknown as { writeBuffer: unknown[]; transport: { ws?: { bufferedAmount: number } } };
  const deadline = Date.now() + 5_000;
  while (engine.writeBuffer.length > 0 || (engine.transport.ws?.bufferedAmount ?? 0) > 0) {
    if (Date.now() > deadline) throw new Error('the burst was not written within 5 s');
    await new Promise((r) => setImmediate(r));
  }
}

describe('SIGTERM drains the API', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string | null = null;
  let api: ApiProcess;
  let mediator: Person;
  let sessionId: string;
  let plenary: string;
  let client: TestClient;

  /** What the client saw, in the order it saw it: acknowledgements, events, the disconnect. */
  const timeline: string[] = [];
  const acks: Array<{ clientMessageId: string; ack: Ack<RoomEvent> }> = [];
  let stopping: ServerStopping | null = null;
  let disconnectReason = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let sentAt = 0;
  let exitedAfterMs = 0;
  let reconnectRefused: unknown = null;

  beforeAll(async () => {
    db = await freshDatabase();
    const env: Record<string, string> = { JWT_SECRET: 'shutdown-secret-shutdown-secret-shutdown', LOG_LEVEL: 'log' };
    if (db) env.DATABASE_URL = db.url;
    else env.DATA_DIR = dataDir = mkdtempSync(join(tmpdir(), 'parley-stop-'));
    api = new ApiProcess(await freePort(), env);
    await api.start(120_000);

    mediator = await register(remoteApp(api.url), 'Draining Mediator');
    const session = await createSession(remoteApp(api.url), mediator, ['North']);
    sessionId = session.id;
    plenary = roomOf(session, 'plenary').id;
    await request(api.url).post(`/api/sessions/${sessionId}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    await request(api.url)
      .post(`/api/sessions/${sessionId}/participants/${mediator.participantId}/admit`)
      .set(bearer(mediator))
      .send({ roomId: plenary })
      .expect(200);
    client = await TestClient.connect(api.url, mediator.token);
    await client.join(sessionId);

    client.socket.on('server.stopping', (e: ServerStopping) => {
      stopping = e;
      timeline.push('server.stopping');
    });
    const disconnected = new Promise<void>((resolve) =>
      client.socket.once('disconnect', (reason) => {
        disconnectReason = reason;
        timeline.push('disconnect');
        resolve();
      }),
    );

    // A burst of posts, SIGTERM as soon as it is written: the first ones are in flight when the stop begins.
    // Acks are recorded in their callback, synchronously, like the events: a promise would record
    // them a microtask late, after events that arrived in the same network read.
    const answered = Array.from({ length: BURST }, (_, i) => {
      const clientMessageId = randomUUID();
      return new Promise<void>((resolve, reject) => {
        client.socket
          .timeout(20_000)
          .emit('chat.post', { roomId: plenary, text: `last words ${i}`, clientMessageId }, (err: Error | null, ack: Ack<RoomEvent>) => {
            if (err) return reject(err);
            acks.push({ clientMessageId, ack });
            timeline.push(`ack:${ack.ok ? 'ok' : ack.error.code}`);
            resolve();
          });
      });
    });
    // The signal goes once every frame is on the wire (in the server's receive buffer): socket.io
    // writes the first post at once and the 29 others a turn later, and a kill() sent between them
    // let a slow client (a loaded CI machine) deliver those after the server had closed the
    // transport — frames it never received, which no drain can answer (a page sends them again
    // once reconnected).
    await written(client);
    sentAt = Date.now();
    api.signal('SIGTERM');
    await Promise.all(answered);
    await disconnected;
    try {
      const late = await TestClient.connect(api.url, mediator.token);
      late.close();
    } catch (e) {
      reconnectRefused = e;
    }
    exit = await api.exited(30_000);
    exitedAfterMs = Date.now() - sentAt;
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await api?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    console.log(
      `SIGTERM drain: ${JSON.stringify({ exitedAfterMs, burst: BURST, answeredOk: acks.filter((a) => a.ack.ok).length, refused: acks.filter((a) => !a.ack.ok).length })}`,
    );
  }, 60_000);

  it('answers every request it had received before telling the socket to go, then closes it', () => {
    expect(acks).toHaveLength(BURST);
    const ok = acks.filter((a) => a.ack.ok);
    // At least the first posts were received before the signal was handled.
    expect(ok.length).toBeGreaterThan(0);
    // Whatever arrived once the stop had begun is refused, retryable, never INTERNAL.
    for (const a of acks.filter((x) => !x.ack.ok)) {
      expect(a.ack).toMatchObject({ ok: false, error: { code: 'SERVER_STOPPING', retryable: true } });
    }
    // Every acknowledgement came before server.stopping, which came before the close.
    const at = timeline.indexOf('server.stopping');
    expect(at).toBeGreaterThan(0);
    expect(timeline.slice(0, at).every((t) => t.startsWith('ack:'))).toBe(true);
    expect(timeline.slice(at)).toEqual(['server.stopping', 'disconnect']);
    expect(stopping).toEqual({ reconnectAfterMs: expect.any(Number) });
    expect(stopping!.reconnectAfterMs).toBeGreaterThan(0);
    // A transport close: socket.io clients reconnect by themselves after it.
    expect(disconnectReason).toBe('transport close');
  });

  it('refuses new connections once stopping, exits 0 and logs the start and the end of the stop', () => {
    expect(reconnectRefused).toBeInstanceOf(Error);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(api.log).toMatch(
      /Stopping \(SIGTERM\): no new connections or requests; finishing \d+ socket and \d+ HTTP request\(s\) in flight/,
    );
    expect(api.log).toMatch(/Stopped in \d+ ms: \d+ socket\(s\) told to reconnect after \d+ ms; every request in flight was answered/);
    expect(api.log.match(/Stopping \(SIGTERM\)/g)).toHaveLength(1);
    expect(api.log).not.toMatch(/Unhandled promise rejection|Error during shutdown|INTERNAL/);
  });

  it('stored every acknowledged post once and none of the refused ones; the database opens again at once', async () => {
    await api.start(120_000);
    const reader = await TestClient.connect(api.url, mediator.token);
    try {
      await reader.join(sessionId);
      const r = await reader.ask<RoomHistory>('room.history', { roomId: plenary, afterSeq: 0, limit: 200 });
      expect(r.ok).toBe(true);
      const stored = r.ok ? r.data.events.map((e) => (e.payload as { clientMessageId: string }).clientMessageId) : [];
      for (const a of acks) expect(stored.filter((id) => id === a.clientMessageId)).toHaveLength(a.ack.ok ? 1 : 0);
    } finally {
      reader.close();
    }
  }, 150_000);
});
