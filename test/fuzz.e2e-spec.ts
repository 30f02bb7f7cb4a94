import fc from 'fast-check';
import { CLIENT_EVENTS, type ErrorCode } from '@parley/contracts';
import { APP_CONFIG, ManualClock, type AppConfig } from '@parley/platform';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { startApp, type TestApp } from './support/harness';
import { Arena } from './support/fuzz-arena';
import { encode, httpCase, mutating, operationsOf, type HttpCase, type Operation } from './support/fuzz-http';
import { hostileHandshake, READ_EVENTS, socketCase, socketSchemas, type SocketCase } from './support/fuzz-socket';
import {
  ackProblem,
  auditHeads,
  auditSince,
  changedTables,
  DESIGNED_SIDE_EFFECTS,
  fingerprint,
  httpProblem,
  Tally,
  type Finding,
} from './support/fuzz-state';
import { resolveIds, type Resolve } from './support/fuzz-values';

/**
 * Property-based inputs for every operation of the OpenAPI document the app serves and every client
 * event of the socket contract, sent by each role of a real mediation (lead mediator, head of
 * delegation, observer, outsider, nobody): valid-ish values from the schemas and hostile ones.
 * Every answer is checked: no 5xx and no INTERNAL, the documented error shape with a known code,
 * nothing changed by a refused request (a digest of every table before and after), and the process
 * still alive at the end. FUZZ_SEED reproduces a run (the seed is printed); FUZZ_RUNS scales it.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const SCALE = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
/** Cases per HTTP operation and per socket event. */
const HTTP_RUNS = Math.round(40 * SCALE);
const SOCKET_RUNS = Math.round(40 * SCALE);
const HANDSHAKE_RUNS = Math.round(40 * SCALE);
const MAX_QUERY_CHARS = 9_000;
/**
 * The client address the cases come from (X-Forwarded-For, TRUST_PROXY loopback): an address of
 * this run's own, so that with Redis its limiter counters are not 127.0.0.1's, which later suites
 * sharing the Redis spend from.
 */
const CLIENT_ADDRESS = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
/** Findings listed in full when the suite fails (the rest are counted). */
const SHOWN = 40;

/** About what a socket event takes on the wire (text as UTF-8). */
const messageBytes = (name: string, payload: unknown) => Buffer.byteLength(JSON.stringify([name, payload]) ?? '');

const preview = (v: unknown, max = 300) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? `<${x.byteLength} bytes>` : x));
  return s === undefined ? 'undefined' : s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
};

describe(`fuzz (FUZZ_SEED=${SEED})`, () => {
  let app: TestApp;
  let db: DataSource;
  let arena: Arena;
  let resolve: Resolve;
  let operations: Operation[];
  const findings: Finding[] = [];
  const http = new Tally();
  const socket = new Tally();
  const handshake = new Tally();
  let repairs = 0;
  let bodyLimit: number;

  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${SCALE}`);
    // The suite's own limits are wide: it tests answers to input, not the doors' limits (floods and
    // brute-force suites do), and its one address would otherwise spend them before the world is built.
    // Time stands still (a ManualClock): no cooling-off release or token expiry changes a table between two digests.
    app = await startApp(
      {
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_SIGN_IN_ACCOUNT: '1000000/60',
        RATE_LIMIT_SIGN_IN_ADDRESS: '1000000/60',
        RATE_LIMIT_REGISTER_ADDRESS: '1000000/60',
        RATE_LIMIT_INVITATION_ADDRESS: '1000000/60',
        RATE_LIMIT_INVITATION_TOKEN: '1000000/60',
        SOCKET_BUDGET_BURST: '1000000',
        SOCKET_BUDGET_PER_SECOND: '1000000',
        SOCKET_BUDGET_ACCOUNT_PER_MINUTE: '100000000',
        ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
      },
      undefined,
      { clock: new ManualClock() },
    );
    db = app.app.get(DataSource);
    bodyLimit = app.app.get<AppConfig>(APP_CONFIG).bodyLimitBytes;
    arena = new Arena(app);
    await arena.build();
    const doc = (await app.http().get('/api/docs-json').expect(200)).body;
    ({ operations, resolve } = operationsOf(doc));
  }, 120_000);

  afterAll(async () => {
    arena?.close();
    await app?.close();
  });

  /** The changed tables, and what was appended to the audit when it is among them. */
  const changes = async (tables: string[], heads: Map<string, number> | null) =>
    tables.includes('audit_entries') && heads ? `${tables.join(', ')} (appended: ${await auditSince(db, heads)})` : tables.join(', ');

  const note = (f: Finding) => {
    findings.push(f);
  };

  async function sendHttp(op: Operation, c: HttpCase): Promise<{ status: number; body: unknown; described: string }> {
    const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const seg = c.params[name];
      return 'raw' in seg ? seg.raw : encode(arena.pick(seg, c.role));
    });
    // Node's HTTP parser answers a request head over 16 KB itself (431, connection closed) before
    // any of Parley's code runs: the query is kept under that, its own refusals being what is tested.
    const query = c.query
      .map(([k, v]) => `${encode(k)}=${v}`)
      .join('&')
      .slice(0, MAX_QUERY_CHARS);
    const url = query ? `${path}?${query}` : path;
    let req = app.http()[c.method](url).timeout(20_000).set('X-Forwarded-For', CLIENT_ADDRESS);
    const authorization = arena.authorization(c.role, c.auth);
    if (authorization !== null) req = req.set('Authorization', authorization);
    let sent = '';
    if (c.body.kind === 'json') {
      sent = JSON.stringify(resolveIds(c.body.value, (ref) => arena.pick(ref, c.role))) ?? 'null';
      req = req.set('Content-Type', 'application/json').send(sent);
    } else if (c.body.kind === 'raw') {
      sent = c.body.text;
      req = req.set('Content-Type', c.body.contentType);
      if (c.body.encoding) req = req.set('Content-Encoding', c.body.encoding);
      req = req.send(sent);
    }
    const described = `${c.method.toUpperCase()} ${preview(url, 200)} as ${c.role}${c.role === 'none' ? `/${c.auth}` : ''}${
      c.body.kind === 'none' ? '' : ` body(${c.body.kind === 'json' ? c.body.mutation : c.body.contentType}) ${preview(sent)}`
    }`;
    try {
      const res = await req;
      return { status: res.status, body: res.body, described };
    } catch (e) {
      const res = (e as { response?: { status: number; body: unknown } }).response;
      if (res) return { status: res.status, body: res.body, described };
      return { status: 0, body: String(e), described };
    }
  }

  it('answers every HTTP operation of the OpenAPI document with a documented answer, and a refusal changes nothing', async () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const [i, op] of operations.entries()) {
      const cases = fc.sample(httpCase(op, resolve), { seed: SEED + i, numRuns: HTTP_RUNS });
      for (const [index, c] of cases.entries()) {
        const before = mutating(c.method) ? await fingerprint(db) : null;
        const heads = before ? await auditHeads(db) : null;
        const { status, body, described } = await sendHttp(op, c);
        const code = (body as { code?: string } | null)?.code;
        http.count(op.id, status >= 400 ? `${status} ${code}` : String(status), status > 0 && status < 400);
        const problem = status === 0 ? `no answer: ${preview(body)}` : httpProblem(status, body);
        if (problem) note({ target: op.id, index, problem: `${problem} — ${preview(body, 200)}`, request: described });
        if (before && status >= 400) {
          const changed = changedTables(before, await fingerprint(db)).filter(
            (t) => !DESIGNED_SIDE_EFFECTS[code as ErrorCode]?.includes(t),
          );
          if (changed.length)
            note({
              target: op.id,
              index,
              problem: `refused ${status} ${code} but changed ${await changes(changed, heads)}`,
              request: described,
            });
        }
        if (before && status < 400 && (await arena.ensure()) !== 'intact') repairs++;
      }
    }
    console.log(http.report('HTTP'));
    expect(http.total).toBe(operations.length * HTTP_RUNS);
  }, 600_000);

  it('answers every client event of the socket contract with a documented acknowledgement, and a refusal changes nothing', async () => {
    const schemas = socketSchemas(resolve);
    for (const [i, event] of CLIENT_EVENTS.entries()) {
      const cases = fc.sample(socketCase(event, schemas[event], resolve), { seed: SEED + 1000 + i, numRuns: SOCKET_RUNS });
      for (const [index, c] of cases.entries()) {
        const payload = resolveIds(c.payload, (ref) => arena.pick(ref, c.role));
        const described = `${c.name} as ${c.role} (${c.shape}, ${c.mutation}) ${preview(payload)}`;
        const before = READ_EVENTS.has(event) ? null : await fingerprint(db);
        const heads = before ? await auditHeads(db) : null;
        const ack = await emit(c, payload);
        const code = (ack as { error?: { code?: string } } | null)?.error?.code;
        const accepted = (ack as { ok?: boolean } | null)?.ok === true;
        // A message over BODY_LIMIT_BYTES drops the socket (README): the documented answer to it.
        const dropped = ack === undefined && messageBytes(c.name, payload) > bodyLimit && !arena.client(c.role).socket.connected;
        socket.count(event, accepted ? 'ok' : dropped ? 'dropped: over BODY_LIMIT_BYTES' : String(code ?? 'no ack'), accepted);
        const problem = dropped ? '' : ack === undefined ? 'no acknowledgement within 10 s' : ackProblem(ack);
        if (problem) note({ target: event, index, problem: `${problem} — ${preview(ack, 200)}`, request: described });
        if (before && !accepted) {
          const changed = changedTables(before, await fingerprint(db));
          if (changed.length)
            note({ target: event, index, problem: `refused ${code} but changed ${await changes(changed, heads)}`, request: described });
        }
        if ((before && accepted) || !arena.client(c.role).socket.connected) {
          if ((await arena.ensure()) !== 'intact') repairs++;
        }
      }
    }
    console.log(socket.report('Socket.IO'));
    expect(socket.total).toBe(CLIENT_EVENTS.length * SOCKET_RUNS);
  }, 600_000);

  async function emit(c: SocketCase, payload: unknown): Promise<unknown> {
    const s = arena.client(c.role).socket.timeout(10_000);
    try {
      if (c.shape === 'none') return await s.emitWithAck(c.name);
      if (c.shape === 'extra') return await s.emitWithAck(c.name, payload, { extra: true });
      return await s.emitWithAck(c.name, payload);
    } catch {
      return undefined;
    }
  }

  it('refuses a handshake without a valid token with a documented error', async () => {
    const auths = fc.sample(hostileHandshake, { seed: SEED + 2000, numRuns: HANDSHAKE_RUNS });
    for (const [index, auth] of auths.entries()) {
      const described = `handshake auth ${preview(auth)}`;
      const outcome = await new Promise<{ connected: boolean; data?: unknown; message?: string }>((resolveOutcome) => {
        // A handshake neither accepted nor refused is a finding, not a hung suite.
        const silent = setTimeout(() => done({ connected: false, message: 'no answer within 10 s' }), 10_000);
        let answered = false;
        const done = (o: { connected: boolean; data?: unknown; message?: string }) => {
          // disconnect() below closes the manager, which would report its own close: the first answer counts.
          if (answered) return;
          answered = true;
          clearTimeout(silent);
          s.disconnect();
          resolveOutcome(o);
        };
        const s = io(app.url, {
          transports: ['websocket'],
          auth,
          reconnection: false,
          forceNew: true,
        });
        s.once('connect', () => done({ connected: true }));
        // A refusal closes the manager just before connect_error is emitted: the close waits a turn.
        s.io.once('close', (reason: string) => setImmediate(() => done({ connected: false, message: `closed (${reason})` })));
        s.once('connect_error', (e: Error & { data?: unknown }) => done({ connected: false, data: e.data, message: e.message }));
      });
      const code = (outcome.data as { code?: string } | undefined)?.code;
      // A handshake over BODY_LIMIT_BYTES is dropped like any other message (README).
      const dropped = !outcome.connected && outcome.data === undefined && messageBytes('', auth) > bodyLimit;
      handshake.count(
        'handshake',
        outcome.connected ? 'connected' : dropped ? 'dropped: over BODY_LIMIT_BYTES' : String(code ?? outcome.message),
        outcome.connected,
      );
      const problem = outcome.connected
        ? 'a handshake without a valid token was accepted'
        : dropped
          ? ''
          : outcome.data === undefined
            ? `refused without an error: ${outcome.message}`
            : ackProblem({ ok: false, error: outcome.data });
      if (problem) note({ target: 'handshake', index, problem, request: described });
    }
    console.log(handshake.report('handshakes'));
    expect(handshake.total).toBe(HANDSHAKE_RUNS);
  }, 120_000);

  it('is still alive, found nothing, and says what it did', async () => {
    const live = await app.http().get('/api/health/live');
    console.log(
      [
        `fuzz: FUZZ_SEED=${SEED}: ${http.total + socket.total + handshake.total} cases`,
        `(HTTP ${http.total}, socket ${socket.total}, handshakes ${handshake.total});`,
        `${arena.rebuilds.length} rebuilds (${[...new Set(arena.rebuilds)].join('; ')}) and ${repairs} repairs of the world;`,
        `${findings.length} findings`,
      ].join(' '),
    );
    const shown = findings
      .slice(0, SHOWN)
      .map((f) => `${f.target} #${f.index}: ${f.problem}\n    ${f.request}`)
      .join('\n');
    expect({ live: live.status, findings: findings.length ? `${findings.length} findings:\n${shown}` : 'none' }).toEqual({
      live: 200,
      findings: 'none',
    });
  });
});
