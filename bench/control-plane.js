// Control-plane benchmark: S sessions × P participants, each posting one chat message every 2 s
// into its room (so S×P/2 messages/s, each fanned out to P sockets). Measures acknowledgement
// latency (emit → ack at the client) and memory per connected participant, first for a bare
// Socket.IO server that stores each message in the same PostgreSQL, then for Parley — one after
// the other, never at once (2 cores). Prints a table and writes bench/results/control-plane-SxP.json.
//
//   node bench/control-plane.js [--sessions 200] [--participants 10] [--seconds 30]
//   (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres; needs `npm run build`)
'use strict';
const { fork, spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { io } = require('socket.io-client');
const { BENCH_BUDGETS, api, arg, sleep, waitHttp, withFreshPostgres } = require('./support');

const SESSIONS = arg('sessions', 200);
const PARTICIPANTS = arg('participants', 10);
const SECONDS = arg('seconds', 30);
const WARMUP = arg('warmup', 5);
const INTERVAL_MS = 2000;
const BASE_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const ROOT = join(__dirname, '..');

const rssNow = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
/** Resident memory after a full garbage collection (the servers run with bench/gc-on-signal.js). */
async function rssKb(pid) {
  process.kill(pid, 'SIGUSR2');
  await sleep(1500);
  return rssNow(pid);
}
const GC_FLAGS = ['--expose-gc', '-r', join(__dirname, 'gc-on-signal.js')];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const withDatabase = (work) => withFreshPostgres(BASE_DB, 'parley_bench', (url) => work(url));

async function connectAll(url, specs) {
  const sockets = [];
  // Connect in small batches: a real crowd does not arrive in one millisecond either.
  for (let i = 0; i < specs.length; i += 50) {
    const batch = specs.slice(i, i + 50).map(
      (spec) =>
        new Promise((resolve, reject) => {
          const s = io(url, { transports: ['websocket'], auth: spec.auth, reconnection: false, forceNew: true });
          s.once('connect', () => resolve({ s, spec }));
          s.once('connect_error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Every socket posts every 2 s (phases spread evenly); returns ack latencies of the measured window. */
async function drive(sockets, post) {
  let received = 0;
  for (const { s } of sockets)
    s.on('room.event', () => {
      received++;
    });
  const latencies = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const startAt = Date.now();
  const loops = sockets.map(async ({ s, spec }, i) => {
    await sleep((i / sockets.length) * INTERVAL_MS);
    let n = 0;
    while (!stop) {
      const t0 = process.hrtime.bigint();
      const timer = sleep(INTERVAL_MS);
      try {
        const ack = await s.timeout(10000).emitWithAck('chat.post', post(spec, n++));
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!ack.ok) errors++;
        else if (measuring) latencies.push(ms);
      } catch {
        errors++;
      }
      await timer;
    }
  });
  await sleep(WARMUP * 1000);
  measuring = true;
  const receivedBefore = received;
  const t = Date.now();
  await sleep(SECONDS * 1000);
  measuring = false;
  const window = (Date.now() - t) / 1000;
  const receivedInWindow = received - receivedBefore;
  stop = true;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return {
    acked: latencies.length,
    errors,
    throughputPerSecond: latencies.length / window,
    deliveriesPerSecond: receivedInWindow / window,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: latencies[latencies.length - 1],
    elapsed: (Date.now() - startAt) / 1000,
  };
}

async function runBare(dbUrl) {
  const port = 39000 + (process.pid % 1000);
  const child = fork(join(__dirname, 'bare-server.js'), [], {
    execArgv: GC_FLAGS,
    env: { ...process.env, PORT: String(port), DATABASE_URL: dbUrl },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((r) => child.once('message', r));
  const before = await rssKb(child.pid);
  const specs = [];
  for (let s = 0; s < SESSIONS; s++) for (let p = 0; p < PARTICIPANTS; p++) specs.push({ auth: { room: `session-${s}` } });
  const sockets = await connectAll(`http://127.0.0.1:${port}`, specs);
  await sleep(1000);
  const connected = await rssKb(child.pid);
  const result = await drive(sockets, (spec, n) => ({ text: `message ${n}`, clientMessageId: randomUUID() }));
  const after = await rssKb(child.pid);
  sockets.forEach(({ s }) => s.close());
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return {
    ...result,
    memory: { rssBeforeKb: before, rssConnectedKb: connected, rssAfterKb: after, kbPerParticipant: (connected - before) / specs.length },
  };
}

async function pool(items, size, work) {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await work(items[i++]);
    }),
  );
}

async function runParley(dbUrl) {
  const port = 38000 + (process.pid % 1000);
  const base = `http://127.0.0.1:${port}`;
  const startServer = async () => {
    const c = spawn(
      process.execPath,
      [
        ...GC_FLAGS,
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/prof'] : []),
        join(ROOT, 'dist/apps/api/src/main.js'),
      ],
      {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: dbUrl,
          JWT_SECRET: 'bench-secret-bench-secret-bench-secret-bench',
          JWT_ACCESS_TTL: '86400',
          LOG_LEVEL: 'warn',
          // Each of its PARTICIPANTS accounts holds a socket in every session (200 by default) and
          // posts 100 a second through them; each socket sends one every 2 s, far inside its budget.
          ...BENCH_BUDGETS,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    await waitHttp(`${base}/api/health`, c);
    return c;
  };
  let child = await startServer();

  // The same PARTICIPANTS people take part in every session: one mediator, the rest party members.
  const setupStart = Date.now();
  const people = [];
  for (let p = 0; p < PARTICIPANTS; p++) {
    const r = await api(base, 'POST', '/api/auth/register', null, {
      email: `bench${p}.${randomUUID()}@parley.test`,
      password: 'bench password 123',
      displayName: `Bench ${p}`,
    });
    people.push({ token: r.accessToken });
  }
  const sessions = [];
  await pool(
    Array.from({ length: SESSIONS }, (_, i) => i),
    8,
    async (i) => {
      const s = await api(base, 'POST', '/api/sessions', people[0].token, { title: `Bench ${i}`, parties: ['A', 'B'] });
      const plenary = s.rooms.find((r) => r.kind === 'plenary').id;
      const seats = [{ person: 0, participantId: s.me.id }];
      for (let p = 1; p < PARTICIPANTS; p++) {
        const inv = await api(base, 'POST', `/api/sessions/${s.id}/invitations`, people[0].token, {
          role: 'party_member',
          partyId: s.parties[p % 2].id,
        });
        const acc = await api(base, 'POST', `/api/invitations/${inv.token}/accept`, people[p].token, {});
        seats.push({ person: p, participantId: acc.participant.id });
      }
      await api(base, 'POST', `/api/sessions/${s.id}/status`, people[0].token, { status: 'open' });
      for (const seat of seats)
        await api(base, 'POST', `/api/sessions/${s.id}/participants/${seat.participantId}/admit`, people[0].token, { roomId: plenary });
      sessions.push({ id: s.id, plenary, seats });
    },
  );
  const setupSeconds = (Date.now() - setupStart) / 1000;

  // A fresh process for the measurement (everything set up is in PostgreSQL): its memory before
  // the crowd connects is the platform's own, not the set-up's garbage.
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  child = await startServer();
  const before = await rssKb(child.pid);
  const specs = sessions.flatMap((s) =>
    s.seats.map((seat) => ({ auth: { token: people[seat.person].token }, sessionId: s.id, roomId: s.plenary })),
  );
  const sockets = await connectAll(base, specs);
  await pool(sockets, 20, async ({ s, spec }) => {
    const r = await s.emitWithAck('session.join', { sessionId: spec.sessionId });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  });
  await sleep(1000);
  const connected = await rssKb(child.pid);
  const result = await drive(sockets, (spec, n) => ({ roomId: spec.roomId, text: `message ${n}`, clientMessageId: randomUUID() }));
  const after = await rssKb(child.pid);
  sockets.forEach(({ s }) => s.close());
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return {
    ...result,
    setupSeconds,
    memory: { rssBeforeKb: before, rssConnectedKb: connected, rssAfterKb: after, kbPerParticipant: (connected - before) / specs.length },
  };
}

async function main() {
  if (process.env.BENCH_ONLY === 'parley') {
    console.log('parley', JSON.stringify(await withDatabase(runParley)));
    return;
  }
  const started = new Date().toISOString();
  console.log(
    `control plane: ${SESSIONS} sessions × ${PARTICIPANTS} participants, one message each every 2 s (${(SESSIONS * PARTICIPANTS) / 2} msg/s target), ${WARMUP} s warm-up + ${SECONDS} s measured`,
  );
  const bare = await withDatabase(runBare);
  console.log('bare  ', JSON.stringify(bare));
  await sleep(2000);
  const parley = await withDatabase(runParley);
  console.log('parley', JSON.stringify(parley));
  const ratio = parley.p95 / bare.p95;
  const out = {
    benchmark: 'control-plane',
    started,
    machine: { cores: require('node:os').cpus().length, node: process.version },
    load: {
      sessions: SESSIONS,
      participantsPerSession: PARTICIPANTS,
      intervalMs: INTERVAL_MS,
      warmupSeconds: WARMUP,
      measuredSeconds: SECONDS,
    },
    bare,
    parley,
    verdict: {
      p95RatioToBare: ratio,
      p95Ms: parley.p95,
      kbPerParticipant: parley.memory.kbPerParticipant,
      targets: { p95RatioMax: 2, p95MsMax: 25, kbPerParticipantMax: 50 },
      met: { ratio: ratio <= 2, absolute: parley.p95 <= 25, memory: parley.memory.kbPerParticipant <= 50 },
    },
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = `control-plane-${SESSIONS}x${PARTICIPANTS}.json`;
  writeFileSync(join(__dirname, 'results', file), JSON.stringify(out, null, 2));
  const row = (name, r) =>
    `${name.padEnd(7)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${r.throughputPerSecond.toFixed(0).padStart(8)} ${r.deliveriesPerSecond.toFixed(0).padStart(10)} ${String(r.errors).padStart(6)} ${r.memory.kbPerParticipant.toFixed(1).padStart(8)}`;
  console.log(
    `\n${'server'.padEnd(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'acks/s'.padStart(8)} ${'events/s'.padStart(10)} ${'errors'.padStart(6)} ${'KB/conn'.padStart(8)}`,
  );
  console.log(row('bare', bare));
  console.log(row('parley', parley));
  console.log(
    `\np95 ratio parley/bare: ${ratio.toFixed(2)} (target ≤ 2), parley p95 ${parley.p95.toFixed(2)} ms (target ≤ 25), ${parley.memory.kbPerParticipant.toFixed(1)} KB per participant (target ≤ 50)`,
  );
  console.log(`written: bench/results/${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
