// Negotiating-text benchmark, against the built API on loopback with a fresh database:
//  1. live drafting: E editors (the mediator + E−1 members of one delegation, in its caucus), each
//     its own socket and Y.Doc on that delegation's draft, each inserting a unique token every
//     200–500 ms; edit-to-visible latency = from just before the local edit to the moment each other
//     editor's doc holds the token, over every (edit, receiver) pair; then whether the docs converged.
//     The editors are shared out to T worker threads (bench/draft-editors.js): each person's editor
//     runs on their own machine, and 50 Yjs documents on one thread saturated it (loop p99 2.2 s);
//  2. the text itself: the mediator replaces a clause ('agreement.edit', current baseVersion) and 10
//     listeners (party members of both delegations, an observer) see it in 'agreement.text';
//  3. a long negotiation: 50 clauses and hundreds of versions (replace, adopted proposals, brackets
//     resolved), then GET …/agreement/history and GET …/agreement timed at several history sizes.
// One phase after the other, never at once (2 cores). Prints a table, writes bench/results/agreement.json
// (agreement-postgres.json when run against PostgreSQL).
//
//   node bench/agreement.js [--editors 50] [--client-threads 2] [--draft-seconds 60] [--draft-edits 300] [--warmup 5]
//                           [--text-edits 100] [--clauses 50] [--history 100,500,1000] [--requests 30]
//   (every option also as BENCH_<NAME>, e.g. BENCH_DRAFT_SECONDS=20; needs `npm run build`)
//   Database: the embedded PostgreSQL (PGlite) in a temp folder (BENCH_DATA_DIR=memory:// keeps it in
//   memory); with DATABASE_URL (or BENCH_DATABASE_URL), a fresh database on that PostgreSQL, dropped after.
'use strict';
const { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { Worker } = require('node:worker_threads');
const { join } = require('node:path');
const Y = require('yjs');
const { api, arg, ask, connect, email, seeded, serverLoopDelay, sleep, startApi, withFreshPostgres } = require('./support');
const { tokensIn } = require('./draft-editors');

const EDITORS = arg('editors', 50);
/** Threads the editors are shared out to (bench/draft-editors.js). */
const CLIENT_THREADS = arg('client-threads', 2);
/** The target: an edit visible to the other editors at p95 ≤ 50 ms, with 50 editors. */
const TARGET = { editors: 50, draftP95MsMax: 50 };
const DRAFT_SECONDS = arg('draft-seconds', 60);
const DRAFT_EDITS = arg('draft-edits', 300);
const WARMUP = arg('warmup', 5);
const MIN_INTERVAL = arg('min-interval', 200);
const MAX_INTERVAL = arg('max-interval', 500);
const TEXT_EDITS = arg('text-edits', 100);
const TEXT_INTERVAL = [100, 250];
const LISTENERS = 10;
const CLAUSES = arg('clauses', 50);
const HISTORY = String(arg('history', '100,500,1000'))
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const REQUESTS = arg('requests', 30);
const REQUEST_WARMUP = 5;
const SEED = arg('seed', 7);
const BASE_DB = process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? null;
const PASSWORD = 'bench password 123';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  return {
    count: s.length,
    p50: pct(s, 50),
    p95: pct(s, 95),
    p99: pct(s, 99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}
const rnd = seeded(SEED);
const between = (lo, hi) => lo + rnd() * (hi - lo);
/** CPU seconds (user + system) a process has used so far. */
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ is 100 on Linux
};
const f = (v, d = 1) => (v === null || v === undefined ? '—' : v.toFixed(d));

// ---------------------------------------------------------------------------------------------
// Database and the API process
// ---------------------------------------------------------------------------------------------

async function withDatabase(work) {
  if (!BASE_DB) {
    const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(os.tmpdir(), 'parley-bench-agreement-'));
    try {
      return await work({
        env: { DATA_DIR: dataDir },
        label: `embedded PostgreSQL (PGlite) in ${dataDir === 'memory://' ? 'memory' : 'a temp folder'}`,
        kind: 'embedded',
        dataDir,
      });
    } finally {
      if (dataDir !== 'memory://' && !process.env.BENCH_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return withFreshPostgres(BASE_DB, 'parley_bench_agreement', (url, version) =>
    work({ env: { DATABASE_URL: url }, label: `PostgreSQL ${version} at ${new URL(url).host} (fresh database)`, kind: 'postgres' }),
  );
}

/** Where the server writes its event-loop delay each second (bench/server-probe.js, preloaded). */
const PROBE_DIR = mkdtempSync(join(os.tmpdir(), 'parley-bench-probe-'));
process.on('exit', () => rmSync(PROBE_DIR, { recursive: true, force: true }));

/** The server's loop delay over a window: its largest one-second maximum and p99, the seconds over 50 ms. */
function serverLoop(pid, from, to) {
  const d = serverLoopDelay(PROBE_DIR, pid, from, to);
  return d && { maxMs: d.loopDelayMaxMs, p99Ms: d.loopDelayP99MaxMs, secondsOver50Ms: d.secondsOver50Ms };
}

/** The built API on loopback, on the chosen database, with bench/server-probe.js preloaded. */
const startServer = (db) =>
  startApi({ JANUS_BINARY: 'none', BENCH_MEMORY_DIR: PROBE_DIR, ...db.env }, [
    '-r',
    join(__dirname, 'server-probe.js'),
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/prof'] : []),
  ]);

// ---------------------------------------------------------------------------------------------
// HTTP and sockets
// ---------------------------------------------------------------------------------------------

/**
 * A running mediation, as test/support/mediation.ts sets one up but over HTTP: a mediator, each
 * delegation's members (the first its head), observers; the session open, everyone connected and
 * joined, each delegation in its caucus, observers in the plenary, the mediator in the mediator room.
 */
async function startMediation(base, { parties, observers = 0, connect: withSockets = true }) {
  const reg = await api(base, 'POST', '/api/auth/register', null, {
    email: email('Mediator'),
    password: PASSWORD,
    displayName: 'Bench Mediator',
  });
  const mediator = { name: 'mediator', role: 'mediator', token: reg.accessToken };
  const session = await api(base, 'POST', '/api/sessions', mediator.token, {
    title: 'Bench negotiation',
    parties: parties.map((p) => p.name),
  });
  mediator.participantId = session.me.id;
  const invite = async (name, body) => {
    const inv = await api(base, 'POST', `/api/sessions/${session.id}/invitations`, mediator.token, body);
    const acc = await api(base, 'POST', `/api/invitations/${inv.token}/accept`, null, {
      email: email(name),
      password: PASSWORD,
      displayName: name,
    });
    return { name, role: body.role, partyId: body.partyId ?? null, token: acc.accessToken, participantId: acc.participant.id };
  };
  const delegations = [];
  for (const [i, p] of parties.entries()) {
    const party = session.parties[i];
    const members = [];
    for (let m = 0; m < p.members; m++)
      members.push(await invite(`${p.name} ${m + 1}`, { role: 'party_member', partyId: party.id, isHead: m === 0 }));
    delegations.push({ id: party.id, caucus: party.caucusRoomId, members });
  }
  const watchers = [];
  for (let o = 0; o < observers; o++) watchers.push(await invite(`Observer ${o + 1}`, { role: 'observer' }));
  await api(base, 'POST', `/api/sessions/${session.id}/status`, mediator.token, { status: 'open' });
  const everyone = [mediator, ...delegations.flatMap((d) => d.members), ...watchers];
  if (withSockets)
    for (const p of everyone) {
      p.socket = await connect(base, p.token);
      await ask(p.socket, 'session.join', { sessionId: session.id });
    }
  const roomOf = (kind) => session.rooms.find((r) => r.kind === kind).id;
  const move = (p, roomId) =>
    api(base, 'POST', `/api/sessions/${session.id}/participants/${p.participantId}/move`, mediator.token, { roomId });
  for (const d of delegations) for (const p of d.members) await move(p, d.caucus);
  for (const p of watchers) await move(p, roomOf('plenary'));
  await move(mediator, roomOf('mediator'));
  return {
    id: session.id,
    mediator,
    delegations,
    observers: watchers,
    everyone,
    get: (who, path) => api(base, 'GET', `/api/sessions/${session.id}${path}`, who.token),
    post: (who, path, body) => api(base, 'POST', `/api/sessions/${session.id}${path}`, who.token, body),
    close: () => everyone.forEach((p) => p.socket?.close()),
  };
}

// 1. Live drafting: the editors on worker threads (bench/draft-editors.js)
// ---------------------------------------------------------------------------------------------

/** A thread of editors; resolves once they are connected and synced. Messages after that come through `next()`. */
function editorThread(workerData) {
  const worker = new Worker(join(__dirname, 'draft-editors.js'), { workerData });
  const queue = [];
  const waiting = [];
  const deliver = (msg) => (waiting.length ? waiting.shift()(msg) : queue.push(msg));
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ type: 'error', message: String(e.stack ?? e) }));
  const next = async (type) => {
    const msg = queue.length ? queue.shift() : await new Promise((r) => waiting.push(r));
    if (msg.type === 'error') throw new Error(`editor thread: ${msg.message}`);
    if (msg.type !== type) throw new Error(`editor thread: ${msg.type} where ${type} was expected`);
    return msg;
  };
  return { worker, next };
}

async function benchDrafts(base, server) {
  // Sockets are the threads' own: no socket of the main thread is in the caucus during the run.
  const m = await startMediation(base, { parties: [{ name: 'North', members: EDITORS - 1 }], connect: false });
  const north = m.delegations[0];
  const draft = { kind: 'party', partyId: north.id };
  const writers = [m.mediator, ...north.members].map((p, index) => ({ index, token: p.token }));
  const threads = [];
  for (let t = 0; t < CLIENT_THREADS; t++) {
    threads.push(
      editorThread({
        base,
        sessionId: m.id,
        draft,
        editors: writers.filter((w) => w.index % CLIENT_THREADS === t),
        seed: SEED + t,
        minInterval: MIN_INTERVAL,
        maxInterval: MAX_INTERVAL,
        editsMax: DRAFT_EDITS,
      }),
    );
  }
  try {
    for (const t of threads) await t.next('ready');
    await sleep(500);

    const now = () => performance.timeOrigin + performance.now();
    const cpu0 = cpuSeconds(server.child.pid);
    const self0 = process.cpuUsage();
    const started = now();
    const measureFrom = started + WARMUP * 1000;
    const stopAt = measureFrom + DRAFT_SECONDS * 1000;
    for (const t of threads) t.worker.postMessage({ measureFrom, stopAt });
    let edits = 0;
    for (const t of threads) edits += (await t.next('edited')).sent;
    const editingSeconds = (now() - started) / 1000;
    const wallTo = Date.now();
    const serverCpu = (cpuSeconds(server.child.pid) - cpu0) / editingSeconds;
    // process.cpuUsage counts every thread of this process: the whole bench client.
    const selfUse = process.cpuUsage(self0);
    const benchCpu = (selfUse.user + selfUse.system) / 1e6 / editingSeconds;

    // Convergence: every update acknowledged, then every doc holds every token and the same text.
    for (const t of threads) t.worker.postMessage({ tokens: edits, deadline: now() + 15000 });
    const results = [];
    for (const t of threads) results.push(await t.next('result'));

    const sent = new Map();
    for (const r of results) for (let i = 0; i < r.sent.length; i += 2) sent.set(r.sent[i], r.sent[i + 1]);
    const measured = (t0) => t0 >= measureFrom;
    const latencies = [];
    let late = 0;
    for (const r of results)
      for (let i = 0; i < r.seen.length; i += 3) {
        const t0 = sent.get(r.seen[i]);
        if (t0 === undefined) continue;
        if (measured(t0)) latencies.push(r.seen[i + 2] - t0);
        else late++;
      }
    const measuredEdits = [...sent.values()].filter(measured).length;
    const perEditor = results.flatMap((r) => r.editors).sort((a, b) => a.index - b.index);
    const texts = perEditor.map((e) => e.text);
    const t0 = performance.now();
    const stored = await m.get(m.mediator, `/drafts/parties/${north.id}`);
    const storedFetchMs = performance.now() - t0;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(stored.update, 'base64'));
    const serverText = doc.getText('clause').toString();
    const converged = texts.every((t) => t === texts[0]);
    const expectedPairs = measuredEdits * (EDITORS - 1);
    const missingPairs = expectedPairs - latencies.length;
    // A pair that never became visible is slower than any that did: percentiles over every expected pair.
    const sorted = [...latencies].sort((a, b) => a - b);
    const allPairs = (p) => {
      const i = Math.min(expectedPairs - 1, Math.floor((p / 100) * expectedPairs));
      return i < sorted.length ? sorted[i] : 'never';
    };
    const refused = results.flatMap((r) => r.refused);
    const result = {
      editors: EDITORS,
      clientThreads: CLIENT_THREADS,
      editsPerEditorMax: DRAFT_EDITS,
      intervalMs: [MIN_INTERVAL, MAX_INTERVAL],
      warmupSeconds: WARMUP,
      measuredSeconds: DRAFT_SECONDS,
      edits,
      measuredEdits,
      editingSeconds,
      updatesPerSecond: edits / editingSeconds,
      latency: { ...stats(latencies), expectedPairs, missingPairs, deliveredShare: latencies.length / expectedPairs },
      latencyAllPairs: { p50: allPairs(50), p95: allPairs(95), p99: allPairs(99) },
      warmupPairs: late,
      syncAck: stats(results.flatMap((r) => r.ackMs)),
      refused: refused.length,
      refusalCodes: refused.reduce((o, e) => ({ ...o, [e.code]: (o[e.code] ?? 0) + 1 }), {}),
      refusedBy: perEditor.map((e) => e.refused),
      relay: {
        received: perEditor.reduce((n, e) => n + e.received, 0),
        echoesToAuthor: results.reduce((n, r) => n + r.echoes, 0),
        ofWhichMediator: perEditor[0].received,
      },
      convergence: {
        converged,
        sameAsServer: serverText === texts[0],
        textLength: texts[0].length,
        tokens: tokensIn(texts[0]),
        tokensWritten: sent.size,
        distinctTexts: new Set(texts).size,
        tokensPerEditor: texts.map(tokensIn),
        tokensOnServer: tokensIn(serverText),
        storedDraftBytes: Buffer.from(stored.update, 'base64').length,
        storedFetchMs,
      },
      cpu: { serverCores: serverCpu, benchClientCores: benchCpu },
      loopDelay: {
        // Each editor thread's own loop over the measured window (its share of the client's work).
        clientThreads: results.map((r) => r.loop),
        clientMaxMs: Math.max(...results.map((r) => r.loop.maxMs)),
        clientP99Ms: Math.max(...results.map((r) => r.loop.p99Ms)),
        server: serverLoop(server.child.pid, measureFrom, wallTo),
      },
    };
    return { m, result };
  } finally {
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Changes of the negotiating text, seen by listeners
// ---------------------------------------------------------------------------------------------

const WORDS =
  'the parties agree that concession fees shall be reviewed annually by an independent panel whose findings bind both sides unless either objects in writing within thirty days of their publication'.split(
    ' ',
  );
const wording = (n, extra = '') => {
  const w = [];
  const len = 30 + Math.floor(rnd() * 30);
  for (let i = 0; i < len; i++) w.push(WORDS[(n * 7 + i * 3 + Math.floor(rnd() * 5)) % WORDS.length]);
  return `${extra}${extra ? ' ' : ''}${w.join(' ')}.`;
};

/** Inserts `count` clauses at the end through the mediator's socket; returns clauseId → version, in order. */
async function seedClauses(m, count) {
  const versions = new Map();
  let last = null;
  for (let c = 0; c < count; c++) {
    const r = await ask(m.mediator.socket, 'agreement.edit', {
      change: { kind: 'insert', afterClauseId: last, heading: `Clause ${c + 1}`, wording: { text: wording(c) } },
    });
    versions.set(r.clauseId, r.version);
    last = r.clauseId;
  }
  return versions;
}

async function benchText(m) {
  const north = m.delegations[0].members;
  const south = m.delegations[1].members;
  const listeners = [...north.slice(0, LISTENERS - south.length - m.observers.length), ...south, ...m.observers];
  const versions = await seedClauses(m, CLAUSES);
  const ids = [...versions.keys()];
  const pending = new Map();
  const latencies = [];
  const byRole = { party_member: [], observer: [] };
  let eventBytes = 0;
  let events = 0;
  for (const [i, p] of listeners.entries()) {
    p.socket.on('agreement.text', (view) => {
      const at = performance.now();
      events++;
      for (const [token, t] of pending) {
        if (t.seenBy.has(i)) continue;
        const c = view.clauses.find((x) => x.id === t.clauseId);
        if (!c || !c.text.includes(token)) continue;
        t.seenBy.add(i);
        latencies.push(at - t.t0);
        byRole[p.role].push(at - t.t0);
        if (t.seenBy.size === listeners.length) pending.delete(token);
      }
    });
  }
  await sleep(300);
  const acks = [];
  for (let n = 0; n < TEXT_EDITS; n++) {
    const clauseId = ids[Math.floor(rnd() * ids.length)];
    const token = `[t${n}:${Date.now()}]`;
    const change = { kind: 'replace', clauseId, baseVersion: versions.get(clauseId), wording: { text: wording(n, token) } };
    const t0 = performance.now();
    pending.set(token, { clauseId, t0, seenBy: new Set() });
    const r = await ask(m.mediator.socket, 'agreement.edit', { change });
    acks.push(performance.now() - t0);
    if (n === 0) eventBytes = Buffer.byteLength(JSON.stringify(r));
    versions.set(clauseId, r.version);
    await sleep(between(...TEXT_INTERVAL));
  }
  const deadline = Date.now() + 5000;
  while (pending.size && Date.now() < deadline) await sleep(20);
  return {
    listeners: listeners.length,
    listenerRoles: { partyMembers: listeners.filter((p) => p.role === 'party_member').length, observers: m.observers.length },
    clauses: CLAUSES,
    edits: TEXT_EDITS,
    intervalMs: TEXT_INTERVAL,
    latency: {
      ...stats(latencies),
      expectedPairs: TEXT_EDITS * listeners.length,
      missingPairs: [...pending.values()].reduce((n, t) => n + listeners.length - t.seenBy.size, 0),
    },
    latencyPartyMembers: stats(byRole.party_member),
    latencyObservers: stats(byRole.observer),
    editAck: stats(acks),
    textEventKb: eventBytes / 1024,
    textEventsReceived: events,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. A long negotiation: loading the history and the text
// ---------------------------------------------------------------------------------------------

async function timeGet(base, who, path) {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${who.token}` } });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(body), body };
}

async function measureGets(base, m, label, who, path) {
  for (let i = 0; i < REQUEST_WARMUP; i++) await timeGet(base, who, path);
  const times = [];
  let last;
  for (let i = 0; i < REQUESTS; i++) {
    last = await timeGet(base, who, path);
    times.push(last.ms);
  }
  const json = JSON.parse(last.body);
  return {
    request: label,
    ...stats(times),
    kb: last.bytes / 1024,
    versions: json.versions?.length ?? null,
    clauses: json.clauses?.length ?? null,
  };
}

async function benchHistory(base) {
  const m = await startMediation(base, {
    parties: [
      { name: 'East', members: 1 },
      { name: 'West', members: 1 },
    ],
  });
  const east = m.delegations[0].members[0];
  const sessionPath = `/api/sessions/${m.id}`;
  const built = await seedClauses(m, CLAUSES);
  const ids = [...built.keys()];
  let versions = CLAUSES;
  const mix = { replace: 0, adopted: 0, bracketed: 0, resolved: 0 };
  const editAcks = [];
  const edit = async (change) => {
    const t0 = performance.now();
    const r = await ask(m.mediator.socket, 'agreement.edit', { change });
    editAcks.push(performance.now() - t0);
    built.set(r.clauseId, r.version);
    versions++;
    return r;
  };
  const sizes = [];
  const buildStart = performance.now();
  for (const target of HISTORY) {
    const stageAcks = editAcks.length;
    while (versions < target) {
      const clauseId = ids[Math.floor(rnd() * ids.length)];
      const baseVersion = built.get(clauseId);
      const roll = rnd();
      if (roll < 0.1) {
        // A delegation tables a rewording; the mediator adopts it (one version, from a proposal).
        const p = await m.post(east, '/agreement/proposals', {
          visibility: 'tabled',
          rationale: 'bench',
          change: { kind: 'replace', clauseId, baseVersion, wording: { text: wording(versions) } },
        });
        const t0 = performance.now();
        const a = await m.post(m.mediator, `/agreement/proposals/${p.id}/adopt`, {});
        editAcks.push(performance.now() - t0);
        built.set(clauseId, a.adopted.version);
        versions++;
        mix.adopted++;
      } else if (roll < 0.2 && target - versions >= 2) {
        // Alternatives put in brackets, then resolved for option A (two versions).
        const r = await edit({
          kind: 'replace',
          clauseId,
          baseVersion,
          wording: {
            text: `${wording(versions)} Fees are {{1}}.`,
            segments: [{ options: [{ text: 'paid monthly' }, { text: 'paid yearly' }] }],
          },
        });
        const segmentId = r.clauses.find((c) => c.id === clauseId).segments[0].id;
        mix.bracketed++;
        await edit({ kind: 'resolve_option', clauseId, baseVersion: r.version, segmentId, optionId: 'A' });
        mix.resolved++;
      } else {
        await edit({ kind: 'replace', clauseId, baseVersion, wording: { text: wording(versions) } });
        mix.replace++;
      }
    }
    const buildAcks = stats(editAcks.slice(stageAcks));
    const rows = [
      await measureGets(base, m, 'history (mediator)', m.mediator, `${sessionPath}/agreement/history`),
      await measureGets(base, m, 'history (party member)', east, `${sessionPath}/agreement/history`),
      await measureGets(base, m, 'text (mediator)', m.mediator, `${sessionPath}/agreement`),
    ];
    sizes.push({
      targetVersions: target,
      versions,
      editAckWhileBuilding: { p50: buildAcks.p50, p95: buildAcks.p95, count: buildAcks.count },
      requests: rows,
    });
  }
  m.close();
  return {
    clauses: CLAUSES,
    mix,
    buildSeconds: (performance.now() - buildStart) / 1000,
    requestsEach: REQUESTS,
    warmupRequests: REQUEST_WARMUP,
    sizes,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = new Date().toISOString();
  const t = Date.now();
  const out = await withDatabase(async (db) => {
    console.log(`agreement: database ${db.label}; node ${process.version}, ${os.cpus().length} cores`);
    const server = await startServer(db);
    try {
      console.log(
        `\n1. live draft: ${EDITORS} editors on one delegation's draft, an edit each every ${MIN_INTERVAL}–${MAX_INTERVAL} ms, ${WARMUP} s warm-up + ${DRAFT_SECONDS} s measured (≤ ${DRAFT_EDITS} edits each)`,
      );
      const { m, result: drafts } = await benchDrafts(server.base, server);
      console.log(JSON.stringify(drafts));
      m.close();
      await sleep(1000);

      console.log(
        `\n2. text changes: ${TEXT_EDITS} mediator edits ('agreement.edit' replace) of a ${CLAUSES}-clause text, ${LISTENERS} listeners`,
      );
      const mt = await startMediation(server.base, {
        parties: [
          { name: 'North', members: LISTENERS - 2 },
          { name: 'South', members: 1 },
        ],
        observers: 1,
      });
      const text = await benchText(mt);
      console.log(JSON.stringify(text));
      mt.close();
      await sleep(1000);

      console.log(
        `\n3. history: ${CLAUSES} clauses, ${HISTORY.join(' / ')} versions; ${REQUESTS} requests each after ${REQUEST_WARMUP} warm-up`,
      );
      const history = await benchHistory(server.base);
      console.log(JSON.stringify(history));
      return {
        database: db.label,
        databaseKind: db.kind,
        drafts,
        text,
        history,
        serverLog: server.log.slice(0, 50),
        serverLogLines: server.log.length,
      };
    } finally {
      await server.stop();
    }
  });

  const result = {
    benchmark: 'agreement',
    started,
    seconds: (Date.now() - t) / 1000,
    machine: { cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    database: out.database,
    parameters: {
      editors: EDITORS,
      draftSeconds: DRAFT_SECONDS,
      draftEditsMax: DRAFT_EDITS,
      warmupSeconds: WARMUP,
      draftIntervalMs: [MIN_INTERVAL, MAX_INTERVAL],
      textEdits: TEXT_EDITS,
      textIntervalMs: TEXT_INTERVAL,
      listeners: LISTENERS,
      clauses: CLAUSES,
      historySizes: HISTORY,
      requests: REQUESTS,
      seed: SEED,
    },
    drafts: out.drafts,
    text: out.text,
    history: out.history,
    verdict: {
      targets: TARGET,
      draftP95MsDelivered: out.drafts.latency.p95,
      draftP95MsAllPairs: out.drafts.latencyAllPairs.p95,
      met:
        EDITORS >= TARGET.editors &&
        typeof out.drafts.latencyAllPairs.p95 === 'number' &&
        out.drafts.latencyAllPairs.p95 <= TARGET.draftP95MsMax,
      converged: out.drafts.convergence.converged,
    },
    serverLogLines: out.serverLogLines,
    serverLog: out.serverLog,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  // The default (embedded) run is the reference; a PostgreSQL run is kept beside it, not over it.
  const file = out.databaseKind === 'postgres' ? 'agreement-postgres.json' : 'agreement.json';
  writeFileSync(join(__dirname, 'results', file), JSON.stringify(result, null, 2));

  const d = out.drafts;
  const tx = out.text;
  const row = (name, s, extra = '') =>
    `${name.padEnd(34)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.p99).padStart(8)} ${f(s.max).padStart(8)} ${String(s.count).padStart(7)}  ${extra}`;
  console.log(
    `\n${'latency'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'pairs'.padStart(7)}`,
  );
  console.log(row(`draft edit → visible (${EDITORS} editors)`, d.latency, `missing ${d.latency.missingPairs}/${d.latency.expectedPairs}`));
  console.log(row('draft.sync ack', d.syncAck, `${d.refused} refused`));
  console.log(
    row(`text edit → 'agreement.text' (${tx.listeners})`, tx.latency, `missing ${tx.latency.missingPairs}/${tx.latency.expectedPairs}`),
  );
  console.log(row('  party members', tx.latencyPartyMembers));
  console.log(row('  observers', tx.latencyObservers));
  console.log(row("'agreement.edit' ack", tx.editAck, `${f(tx.textEventKb)} KB per text`));
  console.log(
    `\ndrafts: ${d.edits} edits in ${f(d.editingSeconds)} s (${f(d.updatesPerSecond)} updates/s); converged: ${d.convergence.converged ? 'yes' : 'NO'} (${d.convergence.distinctTexts} distinct text(s) of ${EDITORS}, ${d.convergence.tokens}/${d.convergence.tokensWritten} tokens, same as server: ${d.convergence.sameAsServer ? 'yes' : 'NO'}); server ${f(d.cpu.serverCores, 2)} cores, bench client ${f(d.cpu.benchClientCores, 2)} cores` +
      `\n        event-loop delay, measured window: server max ${d.loopDelay.server ? `${f(d.loopDelay.server.maxMs)} ms, p99 ${f(d.loopDelay.server.p99Ms)} ms, ${d.loopDelay.server.secondsOver50Ms} s over 50 ms` : 'not read'}; bench client (${d.clientThreads} threads) max ${f(d.loopDelay.clientMaxMs)} ms, p99 ${f(d.loopDelay.clientP99Ms)} ms, each thread's loop busy ${d.loopDelay.clientThreads.map((t) => `${Math.round(t.utilisation * 100)} %`).join(' / ')}`,
  );
  if (!d.convergence.converged)
    console.log(
      `        tokens per editor's doc: ${d.convergence.tokensPerEditor.join(' ')} (server ${d.convergence.tokensOnServer}); refusals per editor: ${d.refusedBy.join(' ')} ${JSON.stringify(d.refusalCodes)}`,
    );
  console.log(`        relayed updates received ${d.relay.received}, of which echoed back to their author ${d.relay.echoesToAuthor}`);
  console.log(
    `\n${'history'.padEnd(9)} ${'request'.padEnd(24)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'KB'.padStart(8)} ${'versions'.padStart(9)}`,
  );
  for (const s of out.history.sizes) {
    for (const r of s.requests)
      console.log(
        `${String(s.versions).padEnd(9)} ${r.request.padEnd(24)} ${f(r.p50).padStart(8)} ${f(r.p95).padStart(8)} ${f(r.max).padStart(8)} ${f(r.kb).padStart(8)} ${String(r.versions ?? `${r.clauses} cl.`).padStart(9)}`,
      );
    console.log(
      `${''.padEnd(9)} ${'edit ack while building'.padEnd(24)} ${f(s.editAckWhileBuilding.p50).padStart(8)} ${f(s.editAckWhileBuilding.p95).padStart(8)}`,
    );
  }
  console.log(`history mix: ${JSON.stringify(out.history.mix)}, built in ${f(out.history.buildSeconds)} s`);
  const allP95 = d.latencyAllPairs.p95;
  console.log(
    `\ndraft p95 over all ${d.latency.expectedPairs} (edit, receiver) pairs: ${typeof allP95 === 'number' ? `${f(allP95)} ms` : 'never visible'} (target ≤ ${TARGET.draftP95MsMax} ms with ${TARGET.editors} editors): ${result.verdict.met ? 'met' : 'NOT met'}; over the ${d.latency.count} delivered: ${f(d.latency.p95)} ms`,
  );
  console.log(`server log lines (warn/error): ${out.serverLogLines}`);
  console.log(`written: bench/results/${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
