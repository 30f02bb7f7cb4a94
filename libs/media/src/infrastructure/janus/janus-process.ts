import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { loadJanode } from './janode';

/** Where the launcher reports what Janus says (Nest's Logger fits). */
export interface JanusLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface StartJanusOptions {
  /** The janus executable; default: `findJanusBinary()`. */
  binary?: string;
  /** The project's Janus configuration folder (infra/janus); never written to. */
  configDir: string;
  /**
   * Restrict ICE candidates to this interface (or address prefix, or a comma-separated list), e.g.
   * "jlo0" inside a test network namespace. It must exist and be up: refused otherwise, because an
   * enforce list that matches nothing makes libnice gather on every non-loopback interface.
   */
  iceInterface?: string;
  logger?: JanusLogger;
  /** How long Janus may take to answer on its WebSocket (default 10 s). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 3 s). */
  stopTimeoutMs?: number;
}

export interface RunningJanus {
  /** The Janus API WebSocket, on 127.0.0.1. */
  url: string;
  /** This run's Janus API secret: every request must carry it. */
  apiSecret: string;
  /** The VideoRoom admin_key of this run: only its holder can create rooms. */
  adminKey: string;
  /** The process id (for diagnostics). */
  pid: number;
  /**
   * Resolves, with why, once Janus has ended — a crash, a kill, or stop(). The supervisor restarts
   * it from there; the process' exit is seen at once, before the WebSocket's close.
   */
  exited: Promise<string>;
  /** SIGTERM, then SIGKILL after a bound; removes the runtime folder. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The janus executable on this machine, or null: `searchPath` first (the PATH Parley was started
 * with, read once at boot into AppConfig), then the Debian and /usr/local, /opt locations.
 */
export function findJanusBinary(searchPath = ''): string | null {
  const dirs = searchPath.split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((d) => join(d, 'janus')), '/usr/bin/janus', '/usr/local/bin/janus', '/opt/janus/bin/janus']) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** A free TCP port on 127.0.0.1 (bound and released: the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a Janus of our own on loopback, from a private copy of the project's configuration with
 * this run's port, admin key and (optionally) ICE interface written into it. Resolves once the
 * Janus API answers on its WebSocket with the VideoRoom plugin loaded; rejects with the last lines
 * of Janus' output otherwise (and leaves nothing running or on disk).
 */
export async function startJanus(opts: StartJanusOptions): Promise<RunningJanus> {
  const binary = opts.binary ?? findJanusBinary();
  if (!binary) throw new Error('No janus executable found (PATH, /usr/bin/janus): install the Debian package `janus` or set JANUS_URL.');
  if (!existsSync(join(opts.configDir, 'janus.jcfg'))) throw new Error(`No janus.jcfg in ${opts.configDir}.`);
  const iceList = opts.iceInterface ? checkIceInterface(opts.iceInterface) : null;

  const runtime = mkdtempSync(join(tmpdir(), 'parley-janus-'));
  const port = await freeLoopbackPort();
  const adminKey = randomBytes(24).toString('base64url');
  const apiSecret = randomBytes(24).toString('base64url');
  let child: ChildProcess | null = null;
  const output = new OutputTail(60);
  try {
    cpSync(opts.configDir, runtime, { recursive: true });
    writeRuntimeConfig(runtime, { port, adminKey, apiSecret, iceList });

    // Janus runs under a watchdog shell that holds a pipe from this process: should this process
    // die without stop() — even by SIGKILL — the pipe closes and the shell stops Janus. SIGTERM to
    // the shell stops Janus too; the shell leads its own process group, so a SIGKILL reaches both.
    // Both inherit this process' environment; the shell gets the runtime folder to remove as $1.
    child = spawn('/bin/sh', ['-c', WATCHDOG, 'janus-watchdog', runtime, binary, '-C', join(runtime, 'janus.jcfg'), '-F', runtime], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const onLine = (line: string) => {
      output.push(line);
      if (/^\[(ERR|FATAL)\]/.test(line)) opts.logger?.warn(`janus: ${line}`);
    };
    lines(child.stdout!, onLine);
    lines(child.stderr!, onLine);
    const exited = new Promise<string>((resolve) => {
      // The watchdog shell exits with Janus' status: 128 + n when a signal n ended Janus.
      child!.once('exit', (code, signal) =>
        resolve(`janus exited (${signal ?? (code !== null && code > 128 ? `signal ${code - 128}` : `code ${code}`)})`),
      );
      child!.once('error', (e) => resolve(`janus could not be started: ${e.message}`));
    });

    const url = `ws://127.0.0.1:${port}`;
    const died = exited.then((why) => {
      throw new Error(why);
    });
    died.catch(() => undefined); // once started, a later exit is stop()'s business
    const probe = { cancelled: false };
    await Promise.race([waitUntilAnswering(port, url, apiSecret, opts.startTimeoutMs ?? 10_000, probe), died]).finally(() => {
      probe.cancelled = true;
    });
    const running = child;
    // Should this process end without stop(), Janus goes with it (an 'exit' handler may only be synchronous).
    const killOnExit = () => {
      killGroup(running, 'SIGKILL');
    };
    process.once('exit', killOnExit);
    let stopping: Promise<void> | null = null;
    return {
      url,
      apiSecret,
      adminKey,
      pid: janusPid(running.pid!),
      exited,
      stop: () =>
        (stopping ??= stopProcess(running, opts.stopTimeoutMs ?? 3_000).finally(() => {
          process.removeListener('exit', killOnExit);
          rmSync(runtime, { recursive: true, force: true });
        })),
    };
  } catch (e) {
    if (child) await stopProcess(child, 1_000);
    rmSync(runtime, { recursive: true, force: true });
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`Janus did not start: ${why}\n--- last lines of janus' output ---\n${output.text() || '(none)'}`);
  }
}

/** The ICE enforce list, after checking that every entry names an interface that is up with an IPv4 address Janus would use. */
function checkIceInterface(list: string): string {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!entries.length || entries.some((e) => !/^[\w.:-]+$/.test(e))) throw new Error(`Invalid ICE interface list "${list}".`);
  // Node lists only interfaces that are up and running, as Janus requires; Janus skips loopback
  // interfaces (node: internal) and, with ipv6 off, IPv6 addresses.
  const usable = Object.entries(networkInterfaces()).flatMap(([name, addrs]) =>
    (addrs ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, address: a.address })),
  );
  for (const entry of entries) {
    if (!usable.some((u) => u.name.startsWith(entry) || u.address.startsWith(entry))) {
      throw new Error(
        `ICE interface "${entry}" is not up with a non-loopback IPv4 address here; refusing to start Janus, ` +
          'which would otherwise gather candidates on every interface (e.g. inside a test namespace: ' +
          '`ip link add jlo0 type ifb; ip addr add 127.0.0.2/32 dev jlo0; ip link set jlo0 up`).',
      );
    }
  }
  return entries.join(',');
}

/** Lost packets a second (as the peer's NACKs say) over which Janus reports a slowlink. */
export const SLOWLINK_THRESHOLD = 4;

function writeRuntimeConfig(dir: string, run: { port: number; adminKey: string; apiSecret: string; iceList: string | null }): void {
  const edit = (file: string, f: (text: string) => string) => {
    const path = join(dir, file);
    writeFileSync(path, f(readFileSync(path, 'utf8')), { mode: 0o600 });
  };
  edit('janus.transport.websockets.jcfg', (t) => {
    t = setItem(t, 'general', 'ws', 'true');
    t = setItem(t, 'general', 'ws_port', String(run.port));
    t = setItem(t, 'general', 'ws_ip', '"127.0.0.1"');
    return setItem(t, 'general', 'wss', 'false');
  });
  edit('janus.plugin.videoroom.jcfg', (t) => setItem(t, 'general', 'admin_key', JSON.stringify(run.adminKey)));
  edit('janus.jcfg', (t) => {
    t = setItem(t, 'general', 'configs_folder', JSON.stringify(dir));
    t = setItem(t, 'general', 'api_secret', JSON.stringify(run.apiSecret));
    for (const [key, kind] of [
      ['plugins_folder', 'plugins'],
      ['transports_folder', 'transports'],
      ['events_folder', 'events'],
      ['loggers_folder', 'loggers'],
    ] as const) {
      const current = /"([^"]*)"/.exec(itemOf(t, 'general', key) ?? '')?.[1];
      if (!current || !existsSync(current)) {
        const found = janusLibDir(kind);
        if (found) t = setItem(t, 'general', key, JSON.stringify(found));
      }
    }
    // A slowlink event when a peer asks again for more than 4 packets in a second (Janus' default is
    // none): the SFU's side of a subscriber's poor link (media domain, link-quality.policy).
    t = setItem(t, 'media', 'slowlink_threshold', String(SLOWLINK_THRESHOLD));
    return run.iceList ? setItem(t, 'nat', 'ice_enforce_list', JSON.stringify(run.iceList)) : t;
  });
}

/** Where this machine's Janus keeps its plugins (Debian multiarch, /usr/local, /opt). */
function janusLibDir(kind: string): string | null {
  const roots = ['/usr/lib', '/usr/local/lib', '/opt/janus/lib'];
  for (const root of roots) {
    const direct = join(root, 'janus', kind);
    if (existsSync(direct)) return direct;
    try {
      for (const arch of readdirSync(root)) {
        const p = join(root, arch, 'janus', kind);
        if (existsSync(p)) return p;
      }
    } catch {
      // no such root
    }
  }
  return null;
}

/** The span of a top-level libconfig group `name: { … }` (its items hold no nested groups here). */
function groupSpan(text: string, group: string): { start: number; end: number } | null {
  const open = new RegExp(`^${group}\\s*:\\s*\\{`, 'm').exec(text);
  if (!open) return null;
  const start = open.index + open[0].length;
  const end = text.indexOf('\n}', start);
  return end < 0 ? null : { start, end };
}

function itemOf(text: string, group: string, key: string): string | null {
  const span = groupSpan(text, group);
  if (!span) return null;
  return new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*(.*)$`, 'm').exec(text.slice(span.start, span.end))?.[1] ?? null;
}

/** Sets `key = value` in a group, replacing an active (uncommented) line or adding one. */
function setItem(text: string, group: string, key: string, value: string): string {
  let span = groupSpan(text, group);
  if (!span) {
    text = `${text.trimEnd()}\n\n${group}: {\n}\n`;
    span = groupSpan(text, group)!;
  }
  const body = text.slice(span.start, span.end);
  const line = new RegExp(`^([ \\t]*)${key}[ \\t]*=.*$`, 'm');
  const next = line.test(body) ? body.replace(line, (_m, indent: string) => `${indent}${key} = ${value}`) : `${body}\n\t${key} = ${value}`;
  return text.slice(0, span.start) + next + text.slice(span.end);
}

/** Polls until the port accepts, then asks the Janus API for its info over the WebSocket. */
async function waitUntilAnswering(
  port: number,
  url: string,
  apisecret: string,
  timeoutMs: number,
  probe: { cancelled: boolean },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (probe.cancelled) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await sleep(25);
  }
  const { janode } = await loadJanode();
  const connecting = janode.connect({ address: { url, apisecret }, retry_time_secs: 1, max_retries: 0 });
  const connection = await within(connecting, Math.max(1_000, deadline - Date.now()), `no WebSocket on ${url}`).catch((e: unknown) => {
    void connecting
      .then(
        (late) => late.close(),
        () => undefined,
      )
      .catch(() => undefined);
    throw e;
  });
  try {
    const info = await within(connection.getInfo(), Math.max(1_000, deadline - Date.now()), `no answer to an info request on ${url}`);
    if (!info.plugins || !('janus.plugin.videoroom' in info.plugins))
      throw new Error('Janus answers but the VideoRoom plugin is not loaded.');
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  try {
    await within(exited, graceMs, 'still running');
  } catch {
    killGroup(child, 'SIGKILL');
    await exited;
  }
}

/**
 * Starts Janus (the arguments after the first) in the background and exits with it; stops it first
 * when stdin closes (this process died) or on SIGTERM — waiting until Janus has really gone — and
 * then removes the runtime folder (the first argument).
 */
const WATCHDOG = [
  'runtime=$1; shift',
  'exec 3<&0', // a background list's stdin would be /dev/null: keep the pipe on fd 3
  '"$@" </dev/null 3<&- & j=$!',
  "trap 'kill -TERM $j 2>/dev/null' TERM",
  '(read _ <&3; kill -TERM $j 2>/dev/null) & r=$!',
  'wait $j; c=$?',
  'while kill -0 $j 2>/dev/null; do wait $j; c=$?; done',
  'kill $r 2>/dev/null',
  'rm -rf "$runtime"', // also when this process died without stop()
  'exit $c',
].join('\n');

/** The watchdog shell and Janus under it, at once. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/** Janus' own pid: the watchdog shell's child (Linux /proc), or the shell's when it cannot be read. */
function janusPid(shellPid: number): number {
  try {
    const [first] = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(/\s+/);
    return first ? Number(first) : shellPid;
  } catch {
    return shellPid;
  }
}

/** The promise, or a rejection with `why` after `ms` (the timer never outlives the race). */
function within<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const l of parts) if (l.trim()) onLine(l);
  });
  stream.on('end', () => {
    if (rest.trim()) onLine(rest);
  });
}

class OutputTail {
  private readonly buf: string[] = [];
  constructor(private readonly max: number) {}
  push(line: string): void {
    this.buf.push(line);
    if (this.buf.length > this.max) this.buf.shift();
  }
  text(): string {
    return this.buf.join('\n');
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
