import { randomUUID } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import request from 'supertest';
import type { Ack, RoomEvent, RoomHistory } from '@parley/contracts';
import { ApiProcess, freePort } from './support/api-process';
import { TestClient } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { bearer } from './support/people';
import { PgCluster } from './support/pg-cluster';

/**
 * PostgreSQL stops for 10 s under chat traffic from two Socket.IO clients, then starts again. The
 * cluster is this suite's own (test/support/pg-cluster.ts), never the machine's; the API runs as
 * its own process so its log can be read.
 *
 * Measured and asserted: every ack during the outage is DATABASE_UNAVAILABLE with retryable (no
 * INTERNAL); HTTP answers 503 with that code, and so do the reads a reloading page makes on one
 * snapshot (a room's history, over the socket and HTTP, and the audit trail); readiness says the database is down and since when;
 * the log holds one line when the outage begins and one when it ends, and no stack trace; after the
 * restart everything recovers without touching the API; every message acknowledged (and every one
 * retried with its key) is in the history exactly once.
 */
const OUTAGE_MS = 10_000;

interface Sent {
  key: string;
  by: 'mediator' | 'member';
  at: number;
  answeredAt: number;
  ack: Ack<RoomEvent> | null;
}

describeWhen(__filename, lacks.pgCluster())('a PostgreSQL outage under chat traffic', () => {
  let cluster: PgCluster;
  let api: ApiProcess;
  const http = () => request(api.url);

  beforeAll(async () => {
    cluster = new PgCluster(await freePort());
    cluster.init();
    cluster.start();
    // LOG_LEVEL=log: the line that ends an outage is an ordinary log line, not a warning.
    api = new ApiProcess(await freePort(), { DATABASE_URL: cluster.url, LOG_LEVEL: 'log' });
    await api.start(120_000);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    cluster?.destroy();
  });

  it('answers DATABASE_UNAVAILABLE (retryable) while it is down, logs the outage once, and recovers by itself', async () => {
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
        .send({ title: 'Outage', parties: ['North'] })
        .expect(201)
    ).body;
    const plenary: string = session.rooms.find((r: { kind: string }) => r.kind === 'plenary').id;
    const inv = await http()
      .post(`/api/sessions/${session.id}/invitations`)
      .set(bearer(mediator))
      .send({ role: 'party_member', partyId: session.parties[0].id })
      .expect(201);
    const accepted = await http()
      .post(`/api/invitations/${inv.body.token}/accept`)
      .send({ email: `member.${randomUUID()}@parley.test`, password: 'long enough password', displayName: 'Member' })
      .expect(201);
    const member = { token: accepted.body.accessToken as string, participantId: accepted.body.participant.id as string };
    await http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    for (const id of [session.me.id as string, member.participantId]) {
      await http().post(`/api/sessions/${session.id}/participants/${id}/admit`).set(bearer(mediator)).send({ roomId: plenary }).expect(200);
    }
    const clients = {
      mediator: await TestClient.connect(api.url, mediator.token),
      member: await TestClient.connect(api.url, member.token),
    };
    await clients.mediator.join(session.id);
    await clients.member.join(session.id);

    // Each client posts one message at a time, 20 ms apart, until told to stop.
    const sent: Sent[] = [];
    let writing = true;
    const writer = async (by: 'mediator' | 'member') => {
      while (writing) {
        const key = randomUUID();
        const at = Date.now();
        let ack: Ack<RoomEvent> | null = null;
        try {
          ack = await clients[by].ask<RoomEvent>('chat.post', { roomId: plenary, text: `${by} ${key}`, clientMessageId: key });
        } catch {
          // no acknowledgement within 5 s (recorded as null: a hang is a failure below)
        }
        sent.push({ key, by, at, answeredAt: Date.now(), ack });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const writers = [writer('mediator'), writer('member')];
    const okCount = () => sent.filter((s) => s.ack?.ok).length;
    while (okCount() < 20) await new Promise((r) => setTimeout(r, 10));
    const logBefore = api.log.length;

    // The outage.
    const stopAt = Date.now();
    cluster.stop('fast');
    const stoppedAt = Date.now();
    while (!sent.some((s) => s.at >= stoppedAt && s.ack && !s.ack.ok)) await new Promise((r) => setTimeout(r, 10));
    const httpDuring = await http().get(`/api/sessions/${session.id}`).set(bearer(mediator));
    // The reads a page reloading now makes, each on one snapshot (a transaction that cannot begin):
    // the room's history over the socket and over HTTP, and the mediator's audit trail.
    const historyAckDuring = await clients.member.ask<RoomHistory>('room.history', { roomId: plenary, afterSeq: 0, limit: 50 });
    const historyDuring = await http().get(`/api/sessions/${session.id}/rooms/${plenary}/events`).set(bearer(member));
    const auditDuring = await http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator));
    const readyDuring = await http().get('/api/health/ready');
    const liveDuring = await http().get('/api/health/live');
    await new Promise((r) => setTimeout(r, Math.max(0, stopAt + OUTAGE_MS - Date.now())));

    const startAt = Date.now();
    cluster.start();
    const startedAt = Date.now();
    // Recovery: no action on the API; a post begun after the start is acknowledged, readiness is 200.
    let readyAfter = await http().get('/api/health/ready');
    const deadline = Date.now() + 30_000;
    while ((readyAfter.status !== 200 || !sent.some((s) => s.at >= startedAt && s.ack?.ok)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      readyAfter = await http().get('/api/health/ready');
    }
    const firstOkAfter = sent.find((s) => s.at >= startedAt && s.ack?.ok);
    while (sent.filter((s) => s.at >= startedAt && s.ack?.ok).length < 10) await new Promise((r) => setTimeout(r, 10));
    writing = false;
    await Promise.all(writers);
    // The monitor's probe or the traffic has ended the outage; give the log line a moment to be written.
    const logDeadline = Date.now() + 10_000;
    while (!/database back after/.test(api.log.slice(logBefore)) && Date.now() < logDeadline) await new Promise((r) => setTimeout(r, 50));
    const log = api.log.slice(logBefore);

    // Every message the clients were told failed is sent again with its key: retryable meant it.
    const failed = sent.filter((s) => !s.ack?.ok);
    for (const s of failed) {
      const again = await clients[s.by].ask<RoomEvent>('chat.post', { roomId: plenary, text: `${s.by} ${s.key}`, clientMessageId: s.key });
      expect(again).toMatchObject({ ok: true });
    }
    const history: RoomEvent[] = [];
    for (let after = 0; ;) {
      const r = await clients.member.ask<RoomHistory>('room.history', { roomId: plenary, afterSeq: after, limit: 200 });
      if (!r.ok) throw new Error(r.error.code);
      history.push(...r.data.events);
      if (!r.data.more) break;
      after = r.data.events.at(-1)!.seq;
    }
    Object.values(clients).forEach((c) => c.close());

    // Figures.
    const outage = sent.filter((s) => s.ack && !s.ack.ok);
    const firstUnavailable = outage.find((s) => s.ack && !s.ack.ok && s.ack.error.code === 'DATABASE_UNAVAILABLE');
    const figures = {
      stopCommandMs: stoppedAt - stopAt,
      firstUnavailableAckAfterStopMs: firstUnavailable ? firstUnavailable.answeredAt - stopAt : null,
      startCommandMs: startedAt - startAt,
      firstOkAckAfterStartMs: firstOkAfter ? firstOkAfter.answeredAt - startedAt : null,
      postsAnsweredDuringOutage: outage.length,
      postsAcknowledgedOk: sent.length - failed.length,
      postsRetriedAfter: failed.length,
      slowestOutageAckMs: Math.max(...outage.map((s) => s.answeredAt - s.at)),
      logLinesInAll: log.split('\n').filter((l) => l.trim()).length,
      outageLogLines: log
        .split('\n')
        .filter((l) => /\[Dependencies\]/.test(l))
        .map((l) => stripVTControlCharacters(l).replace(/^.*\[Dependencies\]\s*/, '')),
    };
    console.log(`database outage: ${JSON.stringify(figures, null, 2)}`);

    // During the outage: the one code, retryable, answered at once; nothing unanswered.
    expect(sent.filter((s) => s.ack === null)).toEqual([]);
    expect(outage.length).toBeGreaterThan(50);
    expect(
      new Set(
        outage.map((s) =>
          JSON.stringify({
            code: (s.ack as { error: { code: string } }).error.code,
            retryable: (s.ack as { error: { retryable?: boolean } }).error.retryable,
          }),
        ),
      ),
    ).toEqual(new Set([JSON.stringify({ code: 'DATABASE_UNAVAILABLE', retryable: true })]));
    expect(figures.slowestOutageAckMs).toBeLessThan(6000);
    expect(httpDuring.status).toBe(503);
    expect(httpDuring.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', retryable: true });
    expect(historyAckDuring).toMatchObject({ ok: false, error: { code: 'DATABASE_UNAVAILABLE', retryable: true } });
    for (const res of [historyDuring, auditDuring]) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', retryable: true });
    }
    expect(readyDuring.status).toBe(503);
    expect(readyDuring.body).toMatchObject({ status: 'error', code: 'DATABASE_UNAVAILABLE', error: { database: { status: 'down' } } });
    expect(Date.parse(readyDuring.body.error.database.since)).toBeGreaterThanOrEqual(stopAt - 1000);
    expect(JSON.stringify(readyDuring.body)).not.toContain(String(cluster.port));
    expect(liveDuring.status).toBe(200);

    // The log: one line when it began (with its cause), one when it ended (with its duration); no stack trace.
    expect(log.match(/database unavailable:/g) ?? []).toHaveLength(1);
    expect(log.match(/database back after \d+\.\d s/g) ?? []).toHaveLength(1);
    expect(log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(log).not.toContain('[Errors]');

    // Recovery without a restart of the API.
    expect(api.alive).toBe(true);
    expect(readyAfter.status).toBe(200);
    expect(firstOkAfter).toBeDefined();
    await http().get(`/api/sessions/${session.id}`).set(bearer(mediator)).expect(200);
    await http().get(`/api/sessions/${session.id}/rooms/${plenary}/events`).set(bearer(member)).expect(200);
    expect((await http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body.verification.valid).toBe(true);

    // No loss, no duplicate: every key once, acknowledged ones included, and the seqs without a hole.
    const keys = history.map((e) => (e.payload as { clientMessageId?: string }).clientMessageId).filter((k): k is string => !!k);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(sent.map((s) => s.key).sort());
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
  }, 180_000);
});
