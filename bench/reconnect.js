// Reconnect benchmark: N clients, each a participant seated in a room (sessions of 10: the
// mediator and nine party members, spread over the plenary and the two caucuses), are dropped at
// once by restarting the API (SIGTERM, then a new process on the same database; `--drop kill`
// uses SIGKILL) while a writer per session (a co-mediator) keeps posting into the rooms. Each
// client reconnects as the web page does (Socket.IO's backoff, 500 ms to 5 s), joins the session
// again and reads its room's history after the last seq it holds. Measured per client from the
// moment of the drop: rejoined (session.join acknowledged) and caught up (it holds every event up
// to the last seq acknowledged to the writer in its room before it rejoined). Runs on the
// embedded database (an on-disk DATA_DIR) and on PostgreSQL (a fresh database), for each N.
// Prints a table and writes bench/results/reconnect.json.
//
//   node bench/reconnect.js [--clients 50,200] [--databases embedded,postgres] [--rate 20] [--drop restart|kill]
//   (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres; needs `npm run build`)
'use strict';
const { randomUUID } = require('node:crypto');
const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir, cpus, loadavg } = require('node:os');
const { join } = require('node:path');
const { io } = require('socket.io-client');
const { api, arg, ask, email, sleep, startApi, untilEnded, withFreshPostgres } = require('./support');

const CLIENTS = String(arg('clients', '50,200')).split(',').map(Number);
const DATABASES = String(arg('databases', 'embedded,postgres')).split(',');
/** Messages per second the writers post, all sessions together. */
const RATE = arg('rate', 20);
const DROP = arg('drop', 'restart');
/** Steady posting before the drop, and the longest wait for everyone to be back. */
const STEADY_MS = arg('steady-ms', 3000);
const GIVE_UP_MS = arg('give-up-ms', 120000);
const PER_SESSION = 10;
const BASE_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const PASSWORD = 'bench password 123';

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);
const summary = (values) => {
  const s = values.filter((v) => v !== null).sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), max: s.length ? s[s.length - 1] : null };
};

async function pool(items, size, work) {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await work(items[i++]);
    }),
  );
}

/** Sessions of PER_SESSION seated participants, plus one writer (a co-mediator, in no room) each. */
async function setUp(base, clients) {
  const sessions = [];
  const count = Math.ceil(clients / PER_SESSION);
  await pool(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const mediator = await api(base, 'POST', '/api/auth/register', null, {
        email: email(`mediator ${i}`),
        password: PASSWORD,
        displayName: `Mediator ${i}`,
      });
      const token = mediator.accessToken;
      const s = await api(base, 'POST', '/api/sessions', token, { title: `Reconnect ${i}`, parties: ['A', 'B'] });
      const plenary = s.rooms.find((r) => r.kind === 'plenary').id;
      const accept = async (invite, name) => {
        const inv = await api(base, 'POST', `/api/sessions/${s.id}/invitations`, token, invite);
        const acc = await api(base, 'POST', `/api/invitations/${inv.token}/accept`, null, {
          email: email(name),
          password: PASSWORD,
          displayName: name,
        });
        return { token: acc.accessToken, participantId: acc.participant.id };
      };
      const seats = [{ token, participantId: s.me.id, roomId: plenary }];
      const size = Math.min(PER_SESSION, clients - i * PER_SESSION);
      for (let p = 1; p < size; p++) {
        const party = s.parties[p % 2];
        const member = await accept({ role: 'party_member', partyId: party.id }, `Member ${i}.${p}`);
        // Every other member sits in the plenary, the rest in their party's caucus.
        seats.push({ ...member, roomId: p % 4 < 2 ? plenary : party.caucusRoomId });
      }
      const writer = await accept({ role: 'co_mediator' }, `Writer ${i}`);
      await api(base, 'POST', `/api/sessions/${s.id}/status`, token, { status: 'open' });
      for (const seat of seats)
        await api(base, 'POST', `/api/sessions/${s.id}/participants/${seat.participantId}/admit`, token, { roomId: seat.roomId });
      sessions.push({ id: s.id, seats, writer, rooms: [...new Set(seats.map((x) => x.roomId))] });
    },
  );
  return sessions;
}

/** A socket that reconnects as the web page's does; `socket.io` reconnects by itself after a transport close. */
/** Every socket of the current run, closed when it ends however it ends. */
const openSockets = new Set();

function reconnectingSocket(base, token) {
  const s = io(base, { transports: ['websocket'], auth: { token }, reconnectionDelay: 500, reconnectionDelayMax: 5000, forceNew: true });
  // A server-side disconnect is not retried by Socket.IO; the page connects again, and so do we.
  s.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') s.connect();
  });
  openSockets.add(s);
  return s;
}

/**
 * One seated participant: its room's stream position (live events and history), and after the
 * drop the moments it was rejoined and caught up.
 */
class Member {
  constructor(base, seat, sessionId, writerLastSeq) {
    Object.assign(this, { seat, sessionId, writerLastSeq });
    this.last = 0;
    this.rejoinedAt = null;
    this.caughtUpAt = null;
    this.target = null;
    this.dropped = false;
    this.joinedOn = null;
    this.errors = [];
    this.base = base;
    this.socket = null;
  }

  /** Connects (Socket.IO retries a failed handshake by itself, within 2 minutes here), joins, reads the room. */
  async ready() {
    this.socket = reconnectingSocket(this.base, this.seat.token);
    this.socket.on('room.event', (e) => {
      if (e.roomId === this.seat.roomId && e.seq === this.last + 1) this.last = e.seq;
    });
    this.socket.on('disconnect', () => {
      this.dropped = true;
    });
    this.socket.on('connect', () => {
      if (this.dropped) void this.rejoin();
    });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connection within 2 minutes')), 120000);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await ask(this.socket, 'session.join', { sessionId: this.sessionId }, 30000);
    this.joinedOn = this.socket.id;
    await this.catchUp(30000);
  }

  async catchUp(timeoutMs = 10000) {
    for (let page = 0; page < 1000; page++) {
      const h = await ask(this.socket, 'room.history', { roomId: this.seat.roomId, afterSeq: this.last, limit: 200 }, timeoutMs);
      for (const e of h.events) if (e.seq === this.last + 1) this.last = e.seq;
      if (!h.more) return;
    }
  }

  async rejoin() {
    try {
      if (this.joinedOn !== this.socket.id) {
        await ask(this.socket, 'session.join', { sessionId: this.sessionId });
        this.joinedOn = this.socket.id;
        if (this.rejoinedAt === null) {
          this.rejoinedAt = performance.now();
          this.target = this.writerLastSeq(this.seat.roomId);
        }
      }
      await this.catchUp();
      if (this.last < this.target) throw new Error(`caught up to ${this.last}, ${this.target} was acknowledged before the rejoin`);
      this.caughtUpAt = performance.now();
    } catch (e) {
      // Refused or timed out (the server may still be starting): try again while connected; a
      // new connection starts over by itself.
      this.errors.push(e.message);
      if (this.socket.connected && this.errors.length < 100) setTimeout(() => void this.rejoin(), 500);
    }
  }
}

/** One writer per session: posts round the session's rooms, remembering the last seq acknowledged per room. */
function startWriters(base, sessions, lastSeq) {
  let stop = false;
  const stats = { acked: 0, failed: 0 };
  const intervalMs = (sessions.length * 1000) / RATE;
  const loops = sessions.map(async (s, i) => {
    const socket = reconnectingSocket(base, s.writer.token);
    let joined = false;
    socket.on('connect', () => {
      joined = false;
    });
    await sleep((i / sessions.length) * intervalMs);
    for (let n = 0; !stop && n < 100000; n++) {
      const tick = sleep(intervalMs);
      try {
        if (!joined) {
          await ask(socket, 'session.join', { sessionId: s.id }, 2000);
          joined = true;
        }
        const roomId = s.rooms[n % s.rooms.length];
        const e = await ask(socket, 'chat.post', { roomId, text: `writer ${i}.${n}`, clientMessageId: randomUUID() }, 2000);
        lastSeq.set(roomId, Math.max(lastSeq.get(roomId) ?? 0, e.seq));
        stats.acked++;
      } catch {
        stats.failed++;
        joined = false;
      }
      await tick;
    }
    socket.close();
  });
  return {
    stats,
    stop: async () => {
      stop = true;
      await Promise.all(loops);
    },
  };
}

async function run(database, clients, env) {
  const servers = [];
  try {
    return await measure(database, clients, env, async () => {
      const server = await startApi(env, [], { readyWithinMs: 300000 });
      servers.push(server);
      return server;
    });
  } finally {
    for (const s of openSockets) s.close();
    openSockets.clear();
    for (const server of servers) if (server.child.signalCode === null) await server.stop();
  }
}

async function measure(database, clients, env, start) {
  let server = await start();
  const setupStart = Date.now();
  const sessions = await setUp(server.base, clients);
  const setupSeconds = (Date.now() - setupStart) / 1000;
  const lastSeq = new Map();
  const members = sessions.flatMap((s) => s.seats.map((seat) => new Member(server.base, seat, s.id, (roomId) => lastSeq.get(roomId) ?? 0)));
  await pool(members, 20, (m) => m.ready());
  const writers = startWriters(server.base, sessions, lastSeq);
  await sleep(STEADY_MS);

  const t0 = performance.now();
  if (DROP === 'kill') {
    server.child.kill('SIGKILL');
    await untilEnded(server.child);
  } else {
    await server.stop();
  }
  const downMs = performance.now() - t0;
  server = await start();
  const readyMs = performance.now() - t0;
  const deadline = Date.now() + GIVE_UP_MS;
  while (Date.now() < deadline && members.some((m) => m.caughtUpAt === null)) await sleep(50);
  await writers.stop();
  const rejoined = summary(members.map((m) => (m.rejoinedAt === null ? null : m.rejoinedAt - t0)));
  const caughtUp = summary(members.map((m) => (m.caughtUpAt === null ? null : m.caughtUpAt - t0)));
  const result = {
    database,
    clients,
    sessions: sessions.length,
    rooms: sessions.reduce((n, s) => n + s.rooms.length, 0),
    setupSeconds,
    drop: DROP,
    serverDownMs: downMs,
    serverReadyMs: readyMs,
    rejoinedMs: rejoined,
    caughtUpMs: caughtUp,
    // The same, counted from the moment the new process answered: the clients' own share.
    rejoinedAfterReadyMs: summary(members.map((m) => (m.rejoinedAt === null ? null : m.rejoinedAt - t0 - readyMs))),
    caughtUpAfterReadyMs: summary(members.map((m) => (m.caughtUpAt === null ? null : m.caughtUpAt - t0 - readyMs))),
    allCaughtUpMs: caughtUp.n === members.length ? caughtUp.max : null,
    notBack: members.filter((m) => m.caughtUpAt === null).length,
    failedAttempts: members.reduce((n, m) => n + m.errors.length, 0),
    writer: writers.stats,
  };
  members.forEach((m) => m.socket?.close());
  return result;
}

async function main() {
  const started = new Date().toISOString();
  const loadAtStart = loadavg();
  console.log(
    `reconnect: ${CLIENTS.join(' and ')} clients dropped at once (${DROP === 'kill' ? 'API killed' : 'API restarted'}), writers posting ${RATE} msg/s, on ${DATABASES.join(' and ')}`,
  );
  const results = [];
  for (const database of DATABASES) {
    for (const clients of CLIENTS) {
      let r;
      try {
        if (database === 'postgres') {
          r = await withFreshPostgres(BASE_DB, 'parley_bench', (url, version) =>
            run(`postgres ${version.split(' ')[0]}`, clients, { DATABASE_URL: url }),
          );
        } else {
          const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-reconnect-'));
          try {
            r = await run('embedded (PGlite, on disk)', clients, { DATA_DIR: dataDir });
          } finally {
            rmSync(dataDir, { recursive: true, force: true });
          }
        }
      } catch (e) {
        // One configuration failing (the machine too slow for its set-up) must not hide the others.
        console.error(e);
        process.exitCode = 1;
        continue;
      }
      console.log(JSON.stringify(r));
      results.push(r);
      await sleep(2000);
    }
  }
  const out = {
    // The load average at the start and the end: other work on the machine moves these figures a lot.
    benchmark: 'reconnect',
    started,
    machine: { cores: cpus().length, node: process.version, loadAverage: { started: loadAtStart, ended: loadavg() } },
    load: { clients: CLIENTS, perSession: PER_SESSION, writerRatePerSecond: RATE, drop: DROP, steadyMs: STEADY_MS, giveUpMs: GIVE_UP_MS },
    results,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = `reconnect${DROP === 'kill' ? '-kill' : ''}.json`;
  writeFileSync(join(__dirname, 'results', file), JSON.stringify(out, null, 2));
  const ms = (v) => (v === null ? '—' : v.toFixed(0)).padStart(10);
  const head = ['ready', 'join p50', 'join p95', 'join max', 'up p50', 'up p95', 'all up', '+ready p50', '+ready p95', '+ready max'];
  console.log(`\n${'database'.padEnd(28)} ${'clients'.padStart(7)} ${head.map((h) => h.padStart(10)).join(' ')} ${'missing'.padStart(7)}`);
  for (const r of results) {
    const cells = [
      r.serverReadyMs,
      r.rejoinedMs.p50,
      r.rejoinedMs.p95,
      r.rejoinedMs.max,
      r.caughtUpMs.p50,
      r.caughtUpMs.p95,
      r.allCaughtUpMs,
      r.caughtUpAfterReadyMs.p50,
      r.caughtUpAfterReadyMs.p95,
      r.caughtUpAfterReadyMs.max,
    ];
    console.log(`${r.database.padEnd(28)} ${String(r.clients).padStart(7)} ${cells.map(ms).join(' ')} ${String(r.notBack).padStart(7)}`);
  }
  console.log(
    '(ms from the drop; ready: the new API answers /api/health; join: session.join acknowledged; up: caught up from history; +ready: caught up, from ready)',
  );
  console.log(`written: bench/results/${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
