// What the benchmark scripts share: a fresh database on a PostgreSQL, waiting for a server, JSON requests.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { stripVTControlCharacters } = require('node:util');
const { Client } = require('pg');
const { io } = require('socket.io-client');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A seeded generator in [0, 1): the same sequence on every run, so a run can be repeated. */
function seeded(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Runs `work(url, version)` on a fresh database next to `baseUrl`, dropped afterwards. */
async function withFreshPostgres(baseUrl, prefix, work) {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const version = (await admin.query('SHOW server_version')).rows[0].server_version;
  try {
    return await work(url.toString(), version);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * Whether a child process has ended, by an exit or by a signal: a signal leaves `exitCode` null
 * (`signalCode` says which), so a test of `exitCode` alone waits forever on a server that was killed.
 */
const ended = (child) => child.exitCode !== null || child.signalCode !== null;

/** Resolves once `child` has ended (at once if it already has). */
const untilEnded = (child) => new Promise((r) => (ended(child) ? r() : child.once('exit', () => r())));

/** Resolves once `url` answers 200; fails if the child exits or nothing answers in time. */
async function waitHttp(url, child, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended(child)) throw new Error(`server exited (code ${child.exitCode}, signal ${child.signalCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`no answer from ${url}`);
}

/** A JSON request to the API; anything but 2xx throws with the body. */
async function api(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A Socket.IO client of the API, as a browser would connect (token at the handshake). */
function connect(base, token) {
  const s = io(base, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Emits and waits for the acknowledgement; a refusal throws with its error. */
async function ask(socket, event, payload, timeoutMs = 10000) {
  const r = await socket.timeout(timeoutMs).emitWithAck(event, payload);
  if (!r.ok) throw new Error(`${event}: ${JSON.stringify(r.error)}`);
  return r.data;
}

/** A unique address per person and run. */
let people = 0;
const email = (name) => `${name.toLowerCase().replace(/\W+/g, '.')}.${++people}.${process.pid}@parley.test`;

/**
 * The built API (`dist/`) on 127.0.0.1 with `env` on top of the benchmark defaults; what it logs
 * (warnings and errors) is echoed and kept in `log`. stop(): SIGTERM, SIGKILL after 10 s.
 * `readyWithinMs`: how long it may take to answer (a first start on the embedded database creates it).
 */
/**
 * Socket budgets and quotas lifted: a benchmark drives hundreds of sockets and sessions from each of
 * a few accounts, which no person does (the per-socket rates stay what they are by default).
 */
const BENCH_BUDGETS = {
  // A benchmark registers, signs in and accepts invitations far more than anyone from one address would.
  RATE_LIMIT_SIGN_IN_ADDRESS: '1000000/60',
  RATE_LIMIT_REGISTER_ADDRESS: '1000000/60',
  RATE_LIMIT_INVITATION_ADDRESS: '1000000/60',
  RATE_LIMIT_INVITATION_TOKEN: '1000000/60',
  SOCKET_BUDGET_ACCOUNT_PER_MINUTE: '100000000',
  QUOTA_SOCKETS_PER_ACCOUNT: '1000000',
  QUOTA_SESSIONS_PER_ACCOUNT: '1000000',
};

/**
 * A loopback port free now, chosen by the kernel, for a server about to start: the suites' own
 * `freeLoopbackPort`, from the build that the benchmarks start anyway. A fixed port is not safe: one
 * inside the ephemeral range (32768-60999 here) is refused (EADDRINUSE) while a client socket that
 * closed first holds it in TIME-WAIT, for 60 s, and a run closes thousands. The kernel gives a
 * listener an odd port and a connection an even one, so the port stays free until the server binds it.
 */
const freePort = () => require(join(__dirname, '../dist/libs/media/src/infrastructure/janus/janus-process')).freeLoopbackPort();

async function startApi(env, nodeArgs = [], { readyWithinMs = 60000 } = {}) {
  const root = join(__dirname, '..');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  // PARLEY_API_MAIN: another build of the API (a private outDir, so that a run does not depend on
  // whoever rebuilds the shared dist/ meanwhile).
  const main = process.env.PARLEY_API_MAIN || join(root, 'dist/apps/api/src/main.js');
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      JANUS_URL: '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-bench',
      JWT_ACCESS_TTL: '86400',
      LOG_LEVEL: 'warn',
      // Not one person: many sign-ins, sessions, sockets and events per account and address.
      ...BENCH_BUDGETS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines)
        if (line.trim()) {
          log.push(stripVTControlCharacters(line));
          process.stderr.write(`  [api] ${line}\n`);
        }
    });
  }
  await waitHttp(`${base}/api/health`, child, readyWithinMs);
  return {
    base,
    child,
    log,
    stop: async () => {
      if (ended(child)) return;
      child.kill('SIGTERM');
      await Promise.race([untilEnded(child), sleep(10000)]);
      if (!ended(child)) child.kill('SIGKILL');
    },
  };
}

/** A benchmark parameter: `--name value`, else BENCH_NAME, else the default (numbers stay numbers). */
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const raw = i > 0 ? process.argv[i + 1] : env;
  if (raw === undefined) return dflt;
  return typeof dflt === 'number' ? Number(raw) : raw;
};

/**
 * Runs `file` again inside a network namespace of its own (as scripts/media-netns.sh does for the
 * suites): loopback plus `jlo0` (127.0.0.2, where Janus gathers ICE), nothing else, so nothing the
 * benchmark sends leaves the machine. Root gets `unshare --net`, anyone else a user namespace
 * (`-rn`). Exits with the run's status; PARLEY_BENCH_NETNS=1 marks the inner run.
 */
function reexecInNamespace(file, root) {
  const { spawnSync } = require('node:child_process');
  const setup = [
    'set -e',
    'ip link set lo up',
    'sysctl -qw net.ipv6.conf.default.disable_ipv6=1',
    'ip link add jlo0 type ifb',
    'ip addr add 127.0.0.2/32 dev jlo0',
    'ip link set jlo0 up',
    'exec "$0" "$@"',
  ].join('; ');
  const flags = process.getuid && process.getuid() === 0 ? ['--net'] : ['-rn'];
  const r = spawnSync('unshare', [...flags, 'bash', '-c', setup, process.execPath, file, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, PARLEY_BENCH_NETNS: '1' },
    cwd: root,
  });
  process.exit(r.status ?? 1);
}

/** Whether this process runs inside that namespace (its `jlo0` has an IPv4 address). */
function inNamespace() {
  const os = require('node:os');
  return Object.entries(os.networkInterfaces()).some(([n, a]) => n === 'jlo0' && a?.some((x) => x.family === 'IPv4'));
}

/**
 * The server's main-thread event-loop delay over a window, from the per-second lines its probe
 * (bench/server-probe.js, preloaded, writing to `dir`) writes (each covers the second before its time; the seconds overlapping the window are taken).
 */
function serverLoopDelay(dir, pid, from, to) {
  let lines = [];
  try {
    lines = readFileSync(join(dir, `${pid}.loop`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  } catch {
    return null;
  }
  const inWindow = lines.filter((l) => l.at > from && l.at - 1000 < to);
  if (!inWindow.length) return null;
  const p99s = inWindow.map((l) => l.p99Ms).sort((a, b) => a - b);
  return {
    loopDelayMaxMs: Math.max(...inWindow.map((l) => l.maxMs)),
    loopDelayP99MedianMs: p99s[Math.floor(p99s.length / 2)],
    loopDelayP99MaxMs: p99s[p99s.length - 1],
    secondsOver50Ms: inWindow.filter((l) => l.maxMs > 50).length,
    // The longest collection pause in the window, and what the seconds over 50 ms had for one.
    gcMaxMs: Math.max(...inWindow.map((l) => l.gcMaxMs ?? 0)),
    stalls: inWindow
      .filter((l) => l.maxMs > 50)
      .map((l) => ({
        second: Math.ceil((l.at - from) / 1000),
        monotonicUs: l.monotonicUs,
        loopMaxMs: l.maxMs,
        gcMaxMs: l.gcMaxMs,
        gcKind: l.gcKind,
      })),
  };
}

module.exports = {
  freePort,
  untilEnded,
  BENCH_BUDGETS,
  serverLoopDelay,
  arg,
  api,
  ask,
  connect,
  email,
  inNamespace,
  reexecInNamespace,
  seeded,
  sleep,
  startApi,
  waitHttp,
  withFreshPostgres,
};
