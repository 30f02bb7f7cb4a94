import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { findHaproxy } from './haproxy';
import { hasRedisServer } from './redis-server';

/**
 * What a suite may need from the machine, and the one rule for a suite that lacks it: skipped with
 * the reason printed, except under CI=true (`.ci/run` sets it), where it fails by name with that
 * reason. CI never passes by skipping. `scripts/ci-preflight.sh` lists the same needs per suite,
 * so CI stops before the tests when something is missing (test/ci-preflight.e2e-spec.ts keeps the
 * two lists equal).
 */
export const UNDER_CI = process.env.CI === 'true';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags of every headless Chromium the suites launch: fake camera and microphone granted
 * without a prompt, peer connections over loopback with real addresses (no mDNS), and nothing
 * reaching out on its own (no background networking, updates or sync).
 */
export function chromiumArgs(extra: string[] = []): string[] {
  return [
    '--no-sandbox',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    ...extra,
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
}

/**
 * A steady tone for Chromium's fake microphone (48 kHz, 16-bit mono, 440 Hz at a quarter of full
 * scale, 2 s looped): loud and steady enough for every SFU's speaker detection, which Chromium's own
 * fake beep is not for Janus (it averages 25 packets). Written once per process; removed at exit.
 */
let tone: string | null = null;
export function toneFile(): string {
  if (tone) return tone;
  const dir = mkdtempSync(join(tmpdir(), 'parley-tone-'));
  const wav = join(dir, 'tone.wav');
  const rate = 48_000;
  const samples = rate * 2;
  const data = Buffer.alloc(44 + samples * 2);
  data.write('RIFF', 0);
  data.writeUInt32LE(36 + samples * 2, 4);
  data.write('WAVEfmt ', 8);
  data.writeUInt32LE(16, 16);
  data.writeUInt16LE(1, 20);
  data.writeUInt16LE(1, 22);
  data.writeUInt32LE(rate, 24);
  data.writeUInt32LE(rate * 2, 28);
  data.writeUInt16LE(2, 32);
  data.writeUInt16LE(16, 34);
  data.write('data', 36);
  data.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(8192 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  writeFileSync(wav, data);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  tone = wav;
  return wav;
}

/** initdb and pg_ctl on the PATH, or in Debian's versioned folder. */
export function findPgBin(): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort()
        .reverse()
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  return [...dirs, ...debian].find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

const inNamespace = (): boolean =>
  Object.entries(networkInterfaces()).some(([name, a]) => name === 'jlo0' && a?.some((x) => x.family === 'IPv4'));

/** Each need: null when this machine has it, else what is missing and how to get it. */
export const lacks = {
  janus: (): string | null => (findJanusBinary() ? null : 'no janus binary on this machine (apt-get install janus)'),
  /** The optional `mediasoup` package, installed with a worker it can spawn (see mediasoupWorker). */
  mediasoup: (): string | null => mediasoupLack(),
  chromium: (): string | null => (existsSync(CHROMIUM) ? null : `no ${CHROMIUM} (apt-get install --no-install-recommends chromium)`),
  /** The network namespace of scripts/media-netns.sh: loopback plus `jlo0` (127.0.0.2), where Janus gathers ICE. */
  namespace: (): string | null =>
    inNamespace() ? null : 'no jlo0 interface: not inside the test network namespace (run npm run test:media)',
  pgCluster: (): string | null => (findPgBin() ? null : 'no initdb/pg_ctl on this machine (apt-get install postgresql)'),
  redisServer: (): string | null => (hasRedisServer() ? null : 'no redis-server on this machine (apt-get install redis-server)'),
  /** HAProxy, the reverse proxy of infra/haproxy/ (Debian's package). */
  haproxy: (): string | null => (findHaproxy() ? null : 'no haproxy on this machine (apt-get install haproxy)'),
  /** PostgreSQL and Redis servers: several API processes cannot share the embedded database, which one process owns. */
  servers: (): string | null =>
    process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL
      ? null
      : 'TEST_DATABASE_URL and TEST_REDIS_URL are not set (run npm run test:servers with them)',
};

/**
 * The mediasoup worker this machine can run: MEDIASOUP_WORKER_BIN (what mediasoup itself reads), or
 * the one its install built or downloaded into the package; null when neither is there.
 */
export function mediasoupWorker(): string | null {
  let pkg: string;
  try {
    pkg = join(dirname(require.resolve('mediasoup')), '..', '..'); // node/lib/index.js
  } catch {
    return null;
  }
  const bin = process.env.MEDIASOUP_WORKER_BIN || join(pkg, 'worker', 'out', 'Release', 'mediasoup-worker');
  return existsSync(bin) ? bin : null;
}

function mediasoupLack(): string | null {
  try {
    require.resolve('mediasoup');
  } catch {
    return 'the optional mediasoup package is not installed (export MEDIASOUP_WORKER_BIN=<worker> before npm ci; see the README)';
  }
  return mediasoupWorker() ? null : 'no mediasoup worker: MEDIASOUP_WORKER_BIN is unset or names no file, and mediasoup built none';
}

type Suite = (name: string, body: () => void) => void;

/**
 * `describe` for a suite (pass `__filename`) that needs what this machine may lack: each further
 * argument is null, false, or the reason it cannot run. With no reason it is `describe`; with one,
 * `describe.skip` and a warning — or, under CI=true, a suite whose single test fails with the reason.
 */
export function describeWhen(file: string, ...reasons: Array<string | null | false>): Suite {
  const reason = reasons.find((r): r is string => typeof r === 'string');
  if (!reason) return describe;
  const suite = basename(file);
  if (!UNDER_CI) {
    console.warn(`${suite} skipped: ${reason}`);
    return describe.skip;
  }
  const why = `${suite} would skip, and under CI=true no suite may: ${reason}`;
  console.error(why);
  return (name) =>
    describe(name, () => {
      it('has what it needs on this machine', () => {
        throw new Error(why);
      });
    });
}
