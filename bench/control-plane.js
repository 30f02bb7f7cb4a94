// Control-plane benchmark: sessions of P participants, each participant posting one chat message
// every 2 s (every 1 s for the top load) into the plenary, each fanned out to the room's other
// sockets. At each load (messages per second), one server after the other, never at once (2 cores):
//   bare          a Socket.IO server that stores nothing (the floor)
//   bare-insert   the same, one INSERT per message into the same database as Parley
//   parley        Parley (membership check at write time, gap-free room sequence, idempotency key,
//                 audit chain entry, group commit)
// for each database: PostgreSQL (BENCH_DATABASE_URL) and the embedded one (PGlite; Parley runs it
// in a worker thread, the bare server in its own process). Measures acknowledgement latency
// (emit → ack at the client), sockets lost, server CPU and its main thread's event-loop delay,
// memory per connected participant (resident, and the main thread's heap in use, both after a full
// collection; for the whole crowd on a fresh process, and for its second half on the server warmed
// by the first: what one more participant costs), and the load client's own CPU and event-loop
// delay, so that a saturated client shows. Prints a table
// per database and writes bench/results/control-plane.json.
//
//   node bench/control-plane.js [--loads 300,500,1000,2000] [--databases postgres,embedded]
//        [--participants 10] [--seconds 20] [--warmup 5] [--trials 1] [--servers bare,bare-insert,parley]
//   (--servers with fewer than all three prints its lines and writes no results)
//   (--trials N measures each server N times at each load, the three servers taking turns within
//   a trial, each trial in another order, so that a slow minute of the machine falls on all of them;
//   the table gives the median trial and the p95's range, the ratios as the median of each trial's)
//   (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres; needs `npm run build`;
//   BENCH_PROFILE=<dir>: Parley's servers write V8 CPU profiles there; BENCH_SERVER_FLAGS="--flag …":
//   Node's flags for Parley's servers, to try a setting)
'use strict';
const { fork, spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { io } = require('socket.io-client');
const { max, median, min } = require('simple-statistics');
const { Client } = require('pg');
const { BENCH_BUDGETS, api, freePort, serverLoopDelay, sleep, untilEnded, waitHttp, withFreshPostgres } = require('./support');

const argOf = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const LOADS = argOf('loads', '300,500,1000,2000').split(',').map(Number);
const DATABASES = argOf('databases', 'postgres,embedded').split(',');
const PARTICIPANTS = Number(argOf('participants', 10));
const SECONDS = Number(argOf('seconds', 20));
const WARMUP = Number(argOf('warmup', 5));
const TRIALS = Number(argOf('trials', 1));
if (!Number.isInteger(TRIALS) || TRIALS < 1) throw new Error(`--trials: a whole number of at least 1, not ${argOf('trials')}`);
/** Which servers to run; a run of fewer than all three (a partial run) prints its lines and writes no results. */
const ALL_SERVERS = ['bare', 'bare-insert', 'parley'];
const SERVERS = argOf('servers', ALL_SERVERS.join(',')).split(',');
const unknownServers = SERVERS.filter((s) => !ALL_SERVERS.includes(s));
if (unknownServers.length > 0) throw new Error(`--servers: no server named ${unknownServers.join(', ')} (${ALL_SERVERS.join(', ')})`);
const EVERY_SERVER = ALL_SERVERS.every((s) => SERVERS.includes(s));
const BASE_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const ROOT = join(__dirname, '..');
const GC_FLAGS = ['--expose-gc', '-r', join(__dirname, 'server-probe.js')];

/** A load as sessions × participants, each posting every `intervalMs` (2 s; 1 s past 200 sessions' worth). */
function shape(msgPerSecond) {
  const intervalMs = msgPerSecond > 1000 ? 1000 : 2000;
  return { msgPerSecond, intervalMs, sessions: Math.round((msgPerSecond * intervalMs) / 1000 / PARTICIPANTS) };
}
const SHAPES = LOADS.map(shape);
const MAX_SESSIONS = Math.max(...SHAPES.map((s) => s.sessions));

const rssNow = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
/** Where the servers write their own memory and event-loop figures (bench/server-probe.js); inherited by every server started. */
const MEMORY_DIR = mkdtempSync(join(tmpdir(), 'parley-bench-memory-'));
process.env.BENCH_MEMORY_DIR = MEMORY_DIR;
/**
 * Memory after a full garbage collection (the servers run with bench/server-probe.js), KB: resident
 * (what the system charges, the heap's high-water mark and the allocator's included) and the main
 * thread's heap in use (what the process still holds).
 */
async function memoryKb(pid) {
  process.kill(pid, 'SIGUSR2');
  await sleep(1500);
  const own = JSON.parse(readFileSync(join(MEMORY_DIR, `${pid}.json`), 'utf8'));
  const kb = (bytes) => bytes / 1024;
  return {
    rss: rssNow(pid),
    heapUsed: kb(own.heapUsed),
    heapCommitted: kb(own.heapTotal),
    newSpace: kb(own.spaces.new_space?.size ?? 0),
    external: kb(own.external),
  };
}
/**
 * Memory per connected participant: from the fresh process to the whole crowd (what the first crowd
 * costs, the process's warm-up included: code compiled, the young generation grown, the allocator's
 * arenas), and from half the crowd to all of it (what one more participant costs a warm server).
 */
const perParticipant = (before, half, connected, n) => ({
  rssBeforeKb: before.rss,
  rssHalfKb: half.rss,
  rssConnectedKb: connected.rss,
  kbPerParticipant: (connected.rss - before.rss) / n,
  marginalKbPerParticipant: (connected.rss - half.rss) / (n - Math.floor(n / 2)),
  marginalHeapKbPerParticipant: (connected.heapUsed - half.heapUsed) / (n - Math.floor(n / 2)),
  heapKbPerParticipant: (connected.heapUsed - before.heapUsed) / n,
  // Where the resident growth went: the heap V8 keeps committed (its young generation apart), and
  // memory outside the heap that V8 knows of (buffers); the rest is the allocator's and native code's.
  committedKbPerParticipant: (connected.heapCommitted - before.heapCommitted) / n,
  newSpaceKbPerParticipant: (connected.newSpace - before.newSpace) / n,
  externalKbPerParticipant: (connected.external - before.external) / n,
});
/** CPU seconds a process and its threads used so far (utime + stime), from /proc. */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

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

/**
 * A CHECKPOINT on PostgreSQL before a measured window, so that what earlier runs (or creating the
 * benchmark's database) left dirty is written now rather than during the window: without it a
 * checkpoint could land in one server's window and not another's.
 */
async function checkpoint(databaseUrl) {
  if (!databaseUrl) return;
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

/**
 * The crowd arrives in two halves (whole sessions each), memory read before, between and after:
 * `arrive(specs)` connects (and joins) a part and returns its sockets.
 */
async function crowd(pid, specs, arrive) {
  const before = await memoryKb(pid);
  const firstHalf = await arrive(specs.slice(0, Math.floor(specs.length / 2)));
  await sleep(1000);
  const half = await memoryKb(pid);
  const secondHalf = await arrive(specs.slice(Math.floor(specs.length / 2)));
  await sleep(1000);
  const connected = await memoryKb(pid);
  return { sockets: [...firstHalf, ...secondHalf], memory: perParticipant(before, half, connected, specs.length) };
}

/**
 * Every socket posts every `intervalMs` (phases spread evenly); returns the measured window's ack
 * latencies, the server's CPU and event-loop delay, and the client's own CPU and event-loop delay.
 */
async function drive(sockets, intervalMs, serverPid, post) {
  let received = 0;
  let lost = 0;
  for (const { s } of sockets) {
    s.on('room.event', () => received++);
    s.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') lost++;
    });
  }
  const latencies = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const loops = sockets.map(async ({ s, spec }, i) => {
    await sleep((i / sockets.length) * intervalMs);
    let n = 0;
    while (!stop) {
      const t0 = process.hrtime.bigint();
      const timer = sleep(intervalMs);
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
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const clientCpu0 = process.cpuUsage();
  const serverCpu0 = cpuSeconds(serverPid);
  measuring = true;
  const receivedBefore = received;
  const t = Date.now();
  await sleep(SECONDS * 1000);
  measuring = false;
  const window = (Date.now() - t) / 1000;
  const clientCpu = process.cpuUsage(clientCpu0);
  const serverCpu = cpuSeconds(serverPid) - serverCpu0;
  loopDelay.disable();
  const receivedInWindow = received - receivedBefore;
  stop = true;
  await Promise.all(loops);
  await sleep(1100); // the probe's line for the window's last second
  const serverLoop = serverLoopDelay(MEMORY_DIR, serverPid, t, t + window * 1000);
  latencies.sort((a, b) => a - b);
  return {
    acked: latencies.length,
    errors,
    socketsLost: lost,
    throughputPerSecond: latencies.length / window,
    deliveriesPerSecond: receivedInWindow / window,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: latencies[latencies.length - 1],
    serverCpuCores: serverCpu / window,
    serverLoop,
    client: {
      cpuCores: (clientCpu.user + clientCpu.system) / 1e6 / window,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    },
  };
}

/** One bare server (STORE none, pg or pglite) at one load: a fresh process each time. */
async function runBare(store, dbUrl, load) {
  const pgliteDir = store === 'pglite' ? mkdtempSync(join(tmpdir(), 'parley-bench-bare-')) : undefined;
  const child = fork(join(__dirname, 'bare-server.js'), [], {
    execArgv: GC_FLAGS,
    env: { ...process.env, STORE: store, DATABASE_URL: dbUrl ?? '', PGLITE_DIR: pgliteDir ?? '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const { port } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`bare server (${store}) exited with ${code} before listening`)));
    });
    const specs = [];
    for (let s = 0; s < load.sessions; s++) for (let p = 0; p < PARTICIPANTS; p++) specs.push({ auth: { room: `session-${s}` } });
    const { sockets, memory } = await crowd(child.pid, specs, (part) => connectAll(`http://127.0.0.1:${port}`, part));
    if (store === 'pg') await checkpoint(dbUrl);
    const result = await drive(sockets, load.intervalMs, child.pid, (spec, n) => ({ text: `message ${n}`, clientMessageId: randomUUID() }));
    sockets.forEach(({ s }) => s.close());
    return { ...result, memory };
  } finally {
    child.kill('SIGTERM');
    await untilEnded(child);
    if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  }
}

async function pool(items, size, work) {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await work(items[i++]);
    }),
  );
}

/**
 * MAX_SESSIONS sessions of PARTICIPANTS people, each open with everyone admitted to the plenary,
 * made through Parley's API at `base`.
 */
async function setUpSessions(base) {
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
    Array.from({ length: MAX_SESSIONS }, (_, i) => i),
    8,
    async (i) => {
      const s = await api(base, 'POST', '/api/sessions', people[0].token, { title: `Bench ${i}`, parties: ['A', 'B'] });
      const plenary = s.rooms.find((r) => r.kind === 'plenary').id;
      const seats = [{ person: 0, participantId: s.me.id }];
      for (let p = 1; p < PARTICIPANTS; p++) {
        const inv = await api(base, 'POST', `/api/sessions/${s.id}/invitations`, people[0].token, {
          role: 'party_member',
          partyId: s.parties[p % 2].id,
          displayName: `Bench ${p}`,
        });
        const acc = await api(base, 'POST', `/api/invitations/${inv.token}/accept`, people[p].token, {});
        seats.push({ person: p, participantId: acc.participant.id });
      }
      await api(base, 'POST', `/api/sessions/${s.id}/status`, people[0].token, { status: 'open' });
      for (const seat of seats)
        await api(base, 'POST', `/api/sessions/${s.id}/participants/${seat.participantId}/admit`, people[0].token, { roomId: plenary });
      sessions[i] = { id: s.id, plenary, seats };
    },
  );
  const setupSeconds = (Date.now() - setupStart) / 1000;
  return { people, sessions, setupSeconds };
}

/**
 * Parley on one database: MAX_SESSIONS sessions set up once; then `measure(load)`, called for each
 * load and trial, starts a fresh process (its memory before the crowd connects is the platform's
 * own, not the set-up's garbage) with the first `load.sessions` sessions' participants connected
 * and posting. `close()` removes the embedded database's directory. Every server started is
 * stopped, whether its part of the run succeeds or fails.
 */
async function prepareParley(databaseUrl) {
  const dataDir = databaseUrl ? null : mkdtempSync(join(tmpdir(), 'parley-bench-embedded-'));
  const close = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const stopServer = async (c) => {
    c.stopping = true;
    c.kill('SIGTERM');
    await untilEnded(c);
  };
  /** A server on a port of its own (each start takes a free one: see freePort), with its `base` URL. */
  const startServer = async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
    const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
    const c = spawn(process.execPath, [...GC_FLAGS, ...flags, ...profile, join(ROOT, 'dist/apps/api/src/main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl ?? '',
        ...(dataDir ? { DATA_DIR: dataDir } : {}),
        REDIS_URL: '',
        JANUS_URL: '',
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret-bench',
        JWT_ACCESS_TTL: '86400',
        LOG_LEVEL: 'warn',
        // Each of its PARTICIPANTS accounts holds a socket in every session and posts through all of them.
        ...BENCH_BUDGETS,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // A server that ends other than by the stop below (its SIGTERM, answered by a clean exit) says
    // how, even when the run has already failed on it: a run that prints no result line is then
    // explained (the server's stderr, inherited, shows the rest).
    c.once('exit', (code, signal) => {
      if (!(c.stopping && (signal === 'SIGTERM' || code === 0)))
        console.error(`  parley server (pid ${c.pid}) ended before it was stopped: code ${code}, signal ${signal}`);
    });
    // A server that never answered is stopped too: left running, it would hold the port (and the
    // run's stderr) after the run has failed.
    await waitHttp(`${base}/api/health`, c, 120000).catch(async (e) => {
      await stopServer(c);
      throw e;
    });
    c.base = base;
    return c;
  };
  /** Runs `work` on a fresh server, stopped after whether `work` succeeds or fails. */
  const withServer = async (work) => {
    const server = await startServer();
    try {
      return await work(server);
    } finally {
      await stopServer(server);
    }
  };
  try {
    const { idleRssKb, people, sessions, setupSeconds } = await withServer(async (server) => ({
      idleRssKb: (await memoryKb(server.pid)).rss,
      ...(await setUpSessions(server.base)),
    }));
    const measure = (load) =>
      withServer(async (server) => {
        const specs = sessions
          .slice(0, load.sessions)
          .flatMap((s) => s.seats.map((seat) => ({ auth: { token: people[seat.person].token }, sessionId: s.id, roomId: s.plenary })));
        const { sockets, memory } = await crowd(server.pid, specs, async (part) => {
          const joined = await connectAll(server.base, part);
          await pool(joined, 20, async ({ s, spec }) => {
            const r = await s.emitWithAck('session.join', { sessionId: spec.sessionId });
            if (!r.ok) throw new Error(JSON.stringify(r.error));
          });
          return joined;
        });
        await checkpoint(databaseUrl);
        const result = await drive(sockets, load.intervalMs, server.pid, (spec, n) => ({
          roomId: spec.roomId,
          text: `message ${n}`,
          clientMessageId: randomUUID(),
        }));
        sockets.forEach(({ s }) => s.close());
        return { ...result, memory };
      });
    return { idleRssKb, setupSeconds, measure, close };
  } catch (e) {
    close();
    throw e;
  }
}

const summary = (r) =>
  `p50 ${r.p50.toFixed(2)} p95 ${r.p95.toFixed(2)} p99 ${r.p99.toFixed(2)} ms, ${r.throughputPerSecond.toFixed(0)} acks/s, ${r.errors} errors, ${r.socketsLost} lost, server ${r.serverCpuCores.toFixed(2)} cores, client ${r.client.cpuCores.toFixed(2)} cores (loop p99 ${r.client.loopDelayP99Ms.toFixed(1)} ms)${loopSummary(r.serverLoop)}${memorySummary(r.memory)}`;
const loopSummary = (l) =>
  l
    ? `; server loop delay max ${l.loopDelayMaxMs.toFixed(1)} ms, ${l.secondsOver50Ms} s over 50 ms${l.stalls
        .map((x) => ` (second ${x.second}: ${x.loopMaxMs.toFixed(0)} ms, longest collection ${x.gcMaxMs.toFixed(0)} ms ${x.gcKind ?? ''})`)
        .join('')}, longest collection ${l.gcMaxMs.toFixed(1)} ms`
    : '';
const memorySummary = (m) =>
  m
    ? `; KB a participant: resident ${m.kbPerParticipant.toFixed(1)} (one more on a warm server ${m.marginalKbPerParticipant.toFixed(1)}, heap ${m.marginalHeapKbPerParticipant.toFixed(1)}), heap used ${m.heapKbPerParticipant.toFixed(1)}, committed ${m.committedKbPerParticipant.toFixed(1)} (young ${m.newSpaceKbPerParticipant.toFixed(1)}), external ${m.externalKbPerParticipant.toFixed(1)}`
    : '';

/** Each trial's servers in another order (trial t starts with the t-th), so no server always goes first. */
const rotated = (list, t) => list.map((_, i) => list[(i + t) % list.length]);

/**
 * One server's trials at one load: the trial whose p95 is the median (the lower one for an even
 * count), so that every figure of the line comes from one run, with every trial.
 */
function summarise(trials) {
  const byP95 = [...trials].sort((a, b) => a.p95 - b.p95);
  return { ...byP95[Math.floor((byP95.length - 1) / 2)], trials };
}

const label = (server, database) => (server === 'bare' ? 'bare' : `${server} (${database})`);

async function main() {
  const started = new Date().toISOString();
  console.log(
    `control plane: loads ${LOADS.join(', ')} msg/s (${PARTICIPANTS} participants a session), ${WARMUP} s warm-up + ${SECONDS} s measured each, ${TRIALS} trial${TRIALS > 1 ? 's' : ''}; databases ${DATABASES.join(', ')}`,
  );
  const out = {
    benchmark: 'control-plane',
    started,
    machine: { cores: require('node:os').cpus().length, node: process.version },
    settings: { participantsPerSession: PARTICIPANTS, warmupSeconds: WARMUP, measuredSeconds: SECONDS, trials: TRIALS, loads: SHAPES },
    databases: {},
  };
  for (const database of DATABASES) {
    // The bare server stores nothing, but is measured beside the others on each database: the
    // servers of a load take turns within each trial, and a ratio is of one trial's figures.
    const entry = { bare: {}, bareInsert: {}, parley: null, ratios: {} };
    const run = async (url) => {
      const parley = SERVERS.includes('parley') ? await prepareParley(url) : null;
      try {
        if (parley) entry.parley = { idleRssKb: parley.idleRssKb, setupSeconds: parley.setupSeconds, results: {} };
        for (const load of SHAPES) {
          const trials = { bare: [], 'bare-insert': [], parley: [] };
          for (let t = 0; t < TRIALS; t++) {
            for (const server of rotated(SERVERS, t)) {
              const r =
                server === 'parley'
                  ? await parley.measure(load)
                  : await runBare(
                      server === 'bare' ? 'none' : database === 'postgres' ? 'pg' : 'pglite',
                      server === 'bare' ? null : url,
                      load,
                    );
              trials[server].push(r);
              console.log(
                `  ${label(server, database)} at ${load.msgPerSecond} msg/s${TRIALS > 1 ? `, trial ${t + 1}/${TRIALS}` : ''}: ${summary(r)}`,
              );
            }
          }
          const at = load.msgPerSecond;
          if (trials.bare.length) entry.bare[at] = summarise(trials.bare);
          if (trials['bare-insert'].length) entry.bareInsert[at] = summarise(trials['bare-insert']);
          if (parley) entry.parley.results[at] = summarise(trials.parley);
          if (EVERY_SERVER)
            entry.ratios[at] = {
              parleyOverBareInsertP95: median(trials.parley.map((p, i) => p.p95 / trials['bare-insert'][i].p95)),
              parleyOverBareP95: median(trials.parley.map((p, i) => p.p95 / trials.bare[i].p95)),
            };
        }
      } finally {
        parley?.close();
      }
    };
    if (database === 'postgres') await withFreshPostgres(BASE_DB, 'parley_bench', (url) => run(url));
    else await run(null);
    out.databases[database] = entry;
  }
  if (!EVERY_SERVER) {
    console.log(`\na partial run (${SERVERS.join(', ')} only): no results written`);
    rmSync(MEMORY_DIR, { recursive: true, force: true });
    return;
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'control-plane.json'), JSON.stringify(out, null, 2));

  const cell = (r) => `${r.p50.toFixed(2)} / ${r.p95.toFixed(2)}`;
  const range = (r) => {
    const p95s = r.trials.map((t) => t.p95);
    return p95s.length > 1 ? `${min(p95s).toFixed(2)}–${max(p95s).toFixed(2)}` : '–';
  };
  for (const [database, entry] of Object.entries(out.databases)) {
    console.log(
      `\n${database} (idle Parley RSS ${(entry.parley.idleRssKb / 1024).toFixed(0)} MB; each line the median trial of ${TRIALS}, ratios the median of each trial's)`,
    );
    console.log(
      '| msg/s | bare p50 / p95 | bare-insert p50 / p95 | Parley p50 / p95 / p99 | Parley p95 range over trials | Parley ÷ bare-insert (p95) | Parley ÷ bare (p95) | Parley acks/s, errors, lost | Parley server cores, loop delay max | client cores, loop p99 | KB per participant: resident (first crowd / one more), heap in use (first crowd / one more) |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const load of SHAPES) {
      const b = entry.bare[load.msgPerSecond];
      const i = entry.bareInsert[load.msgPerSecond];
      const p = entry.parley.results[load.msgPerSecond];
      const ratio = entry.ratios[load.msgPerSecond];
      console.log(
        `| ${load.msgPerSecond} (${load.sessions} × ${PARTICIPANTS} / ${load.intervalMs / 1000} s) | ${cell(b)} | ${cell(i)} | ${cell(p)} / ${p.p99.toFixed(2)} | ${range(p)} | ${ratio.parleyOverBareInsertP95.toFixed(2)} | ${ratio.parleyOverBareP95.toFixed(2)} | ${p.throughputPerSecond.toFixed(0)}, ${p.errors}, ${p.socketsLost} | ${p.serverCpuCores.toFixed(2)}, ${p.serverLoop ? `${p.serverLoop.loopDelayMaxMs.toFixed(1)} ms` : '–'} | ${p.client.cpuCores.toFixed(2)}, ${p.client.loopDelayP99Ms.toFixed(1)} ms | ${p.memory.kbPerParticipant.toFixed(1)} / ${p.memory.marginalKbPerParticipant.toFixed(1)}, ${p.memory.heapKbPerParticipant.toFixed(1)} / ${p.memory.marginalHeapKbPerParticipant.toFixed(1)} |`,
      );
    }
  }
  console.log('\nwritten: bench/results/control-plane.json');
  rmSync(MEMORY_DIR, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
