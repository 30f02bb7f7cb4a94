// Constrained-link benchmark (issue 15): the run of test/web-low-bandwidth.e2e-spec.ts, measured at
// several link rates instead of asserted. North's head opens the session in headless Chromium inside
// a network namespace of its own, behind a veth shaped with `tc` (tbf at the rate; netem's 150 ms each
// way and 2 % loss where the kernel has netem — where it has not, as on the machine of 2026-12-02,
// the delay is added to the page's HTTP/WebSocket traffic in user space and UDP gets the rate only:
// see test/support/shaped-link.ts; the output says which). Everybody else is on loopback, with a
// real Janus. Per rate it prints and records:
//  - time to a usable page (room chat shown and enabled): first visit, then returning (same profile);
//  - text latencies p50/p95 over N samples each: a chat line, a shuttle message conveyed by the
//    mediator, a clause inserted in the negotiating text (sent → shown in the delegate's page);
//  - the plenary's audio at the delegate (inbound-rtp: packets received/lost over 10 s, jitter), two
//    voices at once, then one (the other muted: Opus DTX makes her silence nearly free), then an
//    interpreter's channel chosen, received alone (audio only: no floor underneath);
//  - her own camera in her caucus: when the page stopped sending it by itself (its uplink too thin,
//    none on a link wide enough; waited for up to --switch-wait) and what she sent after (kbit/s);
//  - what the delegate received (veth bytes, kbit/s): text only (her caucus, nobody else publishing),
//    the plenary with two publishers (audio + video each), after the automatic audio-only switch;
//    and per stream (inbound-rtp bytes): one audio stream, one video stream.
// Writes bench/results/constrained-link.json.
//
//   node bench/constrained-link.js [--rates 64,128,256] [--samples 10] [--delay 150] [--loss 2]
//                                  [--switch-wait 30] [--max-seconds 900]
//   (options also as BENCH_<NAME>; needs `npm run build:web`, /usr/bin/chromium, janus; root or
//   unprivileged user namespaces: it re-executes itself under `unshare --net`, as
//   scripts/media-netns.sh does, so nothing leaves that namespace)
'use strict';
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');

if (!process.env.PARLEY_BENCH_NETNS) {
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
    console.error('bench/constrained-link: no dist/web (npm run build:web first)');
    process.exit(1);
  }
  require('./support').reexecInNamespace(__filename, ROOT);
}
if (!require('./support').inNamespace()) {
  console.error('bench/constrained-link: no jlo0 inside the namespace');
  process.exit(1);
}

// The run itself is the test's (TypeScript), loaded as the API is loaded by `npm start`.
process.env.TS_NODE_PROJECT = join(ROOT, 'tsconfig.json');
process.env.NODE_ENV = 'test';
require('ts-node/register/transpile-only');
require('tsconfig-paths/register');
const { arg } = require('./support');
const { startApp } = require('../test/support/harness');
const { startMediation } = require('../test/support/mediation');
const { constrainedRun, quantile } = require('../test/support/shaped-link');
const { findJanusBinary } = require('@parley/media/infrastructure/janus/janus-process');

const RATES = String(arg('rates', '64,128,256'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .slice(0, 6);
const SAMPLES = Math.min(50, Number(arg('samples', 10)));
const DELAY = Number(arg('delay', 150));
const LOSS = Number(arg('loss', 2));
const SWITCH_WAIT = Number(arg('switch-wait', 30)) * 1000;
const MAX_SECONDS = Number(arg('max-seconds', 900));

async function main() {
  const janus = findJanusBinary();
  if (!janus) throw new Error('no janus binary (apt-get install janus)');
  // The whole run is bounded: what is not done by then is reported as not measured.
  const stop = setTimeout(() => {
    console.error(`bench/constrained-link: stopped after ${MAX_SECONDS} s`);
    process.exit(2);
  }, MAX_SECONDS * 1000);
  stop.unref();
  const runs = [];
  for (const rateKbit of RATES) {
    const shape = { rateKbit, delayMs: DELAY, lossPct: LOSS };
    console.log(`\n== ${rateKbit} kbit/s, ${DELAY} ms each way, ${LOSS} % loss`);
    try {
      const f = await constrainedRun({
        shape,
        samples: SAMPLES,
        janus,
        startApp: (env) => startApp(env),
        startMediation,
        switchWaitMs: SWITCH_WAIT,
        log: (line) => console.log(`  ${line}`),
      });
      const q = (xs) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), n: xs.length });
      runs.push({
        ...f,
        latency: { chat: q(f.latencyMs.chat), shuttle: q(f.latencyMs.shuttle), text: q(f.latencyMs.text) },
      });
    } catch (e) {
      console.log(`  failed: ${e.message.split('\n')[0]}`);
      runs.push({ shape, error: e.message.split('\n')[0] });
    }
  }
  console.log(
    '\nrate   netem first  return  chat p50/p95   shuttle p50/p95  text p50/p95   audio loss jitter  one voice  channel    down kbit/s text/plenary/after  switch  camera stopped / up kbit/s after',
  );
  for (const r of runs) {
    if (r.error) {
      console.log(`${String(r.shape.rateKbit).padEnd(6)} failed: ${r.error}`);
      continue;
    }
    const l = (x) => `${x.p50}/${x.p95}`.padEnd(15);
    console.log(
      `${String(r.shape.rateKbit).padEnd(6)} ${String(r.netem).padEnd(5)} ${String(r.firstVisitMs).padEnd(6)} ${String(r.repeatVisitMs).padEnd(7)} ` +
        `${l(r.latency.chat)} ${l(r.latency.shuttle)}  ${l(r.latency.text)} ${r.audio.lossPct.toFixed(1).padStart(5)} % ${r.audio.jitterMs.toFixed(1).padStart(6)} ` +
        `${r.oneVoice ? `${r.oneVoice.lossPct.toFixed(1)} %` : '-'}`.padEnd(11) +
        `${r.channelAlone ? `${r.channelAlone.lossPct.toFixed(1)} %` : '-'}`.padEnd(11) +
        `${r.downKbit.textOnly}/${r.downKbit.plenaryBeforeSwitch}/${r.downKbit.afterSwitch ?? '-'}`.padEnd(26) +
        ` ${String(r.switchMs ?? 'none').padEnd(7)} ${r.uplink.stoppedMs ?? 'none'} / ${r.uplink.upKbitAfter}`,
    );
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'constrained-link.json'),
    JSON.stringify({ date: new Date().toISOString(), samples: SAMPLES, delayMs: DELAY, lossPct: LOSS, runs }, null, 2) + '\n',
  );
  console.log('\nwritten: bench/results/constrained-link.json');
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
