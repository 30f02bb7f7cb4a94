import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@parley/platform';
import { connectRejected, startApp, TestClient, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import type { Person } from './support/people';

/**
 * Issue 16, finding 4: one socket could stall everyone. Two sockets flood at full speed (an
 * observer asking `agreement.get`, a party member posting `chat.post` in its caucus; each bounded
 * by time and count) while a bystander of the same session posts every 50 ms for 3 s. Each flood
 * is refused by its socket's budget before any database work, so the stored chat is bounded by the
 * budget; a flooder that keeps sending into its refusals is disconnected and cannot reconnect at
 * once; the bystander's acknowledgements stay fast — on the embedded database and on PostgreSQL
 * (with TEST_DATABASE_URL; with TEST_REDIS_URL too, the per-account budget lives in Redis).
 */
const FLOOD_MS = 3_000;
/** A bound on what one flooder sends, whatever the machine's speed. */
const FLOOD_MAX = 20_000;
/** Events a flooder keeps unanswered: more than the default budget's burst and flood refusals. */
const FLOOD_WINDOW = 1_000;
const BYSTANDER_EVERY_MS = 50;
/** How long the floods' first burst may delay the bystander (see the last test). */
const FIRST_BURST_MS = 500;

interface FloodResult {
  sent: number;
  ok: number;
  refused: number;
  other: string[];
  retryAfter: number[];
  disconnected: boolean;
}

interface Flooder {
  /** Starts the flood; resolves with what the flooder got. */
  go(): Promise<FloodResult>;
}

/**
 * A flooder in another process (test/support/flood-client.js), as an attacker's machine would be:
 * one in this process would slow the bystander's own client, not the server under test; and at
 * the lowest priority, so that its own work does not take the processor from the server here.
 * Resolves once it is connected and joined, so that its start-up is not measured either.
 */
function flooder(app: TestApp, who: Person, sessionId: string, event: string, payload: object): Promise<Flooder> {
  const args = [app.url, who.token, sessionId, event, JSON.stringify(payload), String(FLOOD_MS), String(FLOOD_MAX), String(FLOOD_WINDOW)];
  const child = fork(join(__dirname, 'support', 'flood-client.js'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // An attacker's machine is not the server's: on this one, the flooder yields the processor to it.
  setPriority(child.pid!, 19);
  const nextMessage = () =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the flooder said nothing for 60 s')), 60_000);
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return nextMessage().then((ready) => {
    if (ready !== 'ready') throw new Error(`the flooder did not start: ${JSON.stringify(ready)}`);
    return {
      go: () => {
        const answer = nextMessage();
        child.send('go');
        return answer as Promise<FloodResult>;
      },
    };
  });
}

/** Posts every BYSTANDER_EVERY_MS for FLOOD_MS; each ack's latency in ms. */
async function bystander(client: TestClient, roomId: string): Promise<{ latencies: number[]; failures: string[] }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const pending: Promise<void>[] = [];
  const start = Date.now();
  for (let i = 0; i < FLOOD_MS / BYSTANDER_EVERY_MS; i++) {
    const t0 = performance.now();
    pending.push(
      client.ask('chat.post', { roomId, text: `bystander ${i}`, clientMessageId: randomUUID() }).then(
        (ack) => {
          latencies.push(performance.now() - t0);
          if (!ack.ok) failures.push(ack.error.code);
        },
        () => {
          failures.push('NO_ANSWER');
        },
      ),
    );
    const next = start + (i + 1) * BYSTANDER_EVERY_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  await Promise.all(pending);
  return { latencies, failures };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('a flooding socket is throttled and does not stall the others (issue 16, finding 4)', () => {
  const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'the embedded database';
  // The defaults, as a deployment runs them.
  const defaults = loadConfig({});
  const env: Record<string, string> =
    process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {};
  let app: TestApp;
  let m: Mediation;
  let reads: FloodResult;
  let posts: FloodResult;
  let stored: number;
  let calm: { latencies: number[]; failures: string[] };
  let elapsedMs: number;
  let reconnect: { observer: string; partyMember: string };

  beforeAll(async () => {
    app = await startApp(env);
    m = await startMediation(app);
    const flooders = await Promise.all([
      flooder(app, m.observer, m.session.id, 'agreement.get', {}),
      flooder(app, m.a1, m.session.id, 'chat.post', { roomId: m.caucusA, text: 'flood', clientMessageId: '$uuid' }),
    ]);
    const t0 = Date.now();
    [reads, posts, calm] = await Promise.all([flooders[0].go(), flooders[1].go(), bystander(m.client(m.b1), m.caucusB)]);
    elapsedMs = Date.now() - t0;
    reconnect = {
      observer: (await connectRejected(app.url, m.observer.token)).code,
      partyMember: (await connectRejected(app.url, m.a1.token)).code,
    };
    const [row] = await app.app
      .get(DataSource)
      .query<Array<{ n: string }>>(`SELECT count(*) AS n FROM room_events WHERE room_id = $1 AND author_participant_id = $2`, [
        m.caucusA,
        m.a1.participantId,
      ]);
    stored = Number(row.n);
    const sorted = [...calm.latencies].sort((a, b) => a - b);
    console.log(
      `floods on ${database}: agreement.get sent ${reads.sent}, answered ${reads.ok}, refused ${reads.refused}; ` +
        `chat.post sent ${posts.sent}, answered ${posts.ok}, refused ${posts.refused}, stored ${stored} ` +
        `(each flooder disconnected after its refusals: ${reads.disconnected}, ${posts.disconnected}); ` +
        `bystander over ${elapsedMs} ms: ${calm.latencies.length} posts, p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms, refused ${calm.failures.length}`,
    );
  }, 120_000);

  afterAll(async () => {
    m?.close();
    await app?.close();
  });

  it('does most of each flood no work: refused RATE_LIMITED with a retry-after, or cut by the disconnect; answers nothing else', () => {
    for (const r of [reads, posts]) {
      expect(r.other).toEqual([]);
      // Refusals stop at SOCKET_FLOOD_REFUSALS (the disconnect); how many were answered before
      // depends on how fast the server drained the lane, so the bound is on the flood, not on refusals.
      expect(r.refused).toBeGreaterThan(0);
      expect(r.ok).toBeLessThan(r.sent / 4);
      expect(r.retryAfter.every((s) => Number.isInteger(s) && s >= 1)).toBe(true);
    }
  });

  it('disconnects each flooder once it kept sending into SOCKET_FLOOD_REFUSALS refusals, and keeps its account from reconnecting at once', () => {
    for (const r of [reads, posts]) {
      expect(r.disconnected).toBe(true);
      // The disconnect may overtake the last refusals' answers.
      expect(r.refused).toBeGreaterThan(defaults.socketBudget.floodRefusals / 2);
      expect(r.refused).toBeLessThanOrEqual(defaults.socketBudget.floodRefusals);
    }
    expect(reconnect).toEqual({ observer: 'RATE_LIMITED', partyMember: 'RATE_LIMITED' });
  });

  it('stores no more chat than the per-socket budget allows', () => {
    const { burst, perSecond } = defaults.socketBudget;
    // What was in flight at the disconnect may be stored unanswered.
    expect(stored).toBeGreaterThanOrEqual(posts.ok);
    expect(stored).toBeLessThanOrEqual(burst + Math.ceil((perSecond * elapsedMs) / 1000));
  });

  it("keeps the bystander's acknowledgements from stalling (none over 1 s, none refused) and, once the flood's first burst is read, under 100 ms at the 95th percentile", () => {
    expect(calm.failures).toEqual([]);
    expect(calm.latencies).toHaveLength(FLOOD_MS / BYSTANDER_EVERY_MS);
    // The first burst of both floods (2 × FLOOD_WINDOW events read, refused and answered at once)
    // can hold a bystander's acknowledgement for a few hundred ms on PostgreSQL with Redis (measured
    // 100-470 ms at the start, before and after issue 13): a delay, not a stall. What was found in
    // issue 16 was a stall (the bystander timed out after 10 s), and slow answers all along.
    expect(Math.max(...calm.latencies)).toBeLessThan(1_000);
    const settled = [...calm.latencies.slice(FIRST_BURST_MS / BYSTANDER_EVERY_MS)].sort((a, b) => a - b);
    expect(percentile(settled, 95)).toBeLessThan(100);
  });
});
