// Preloaded into the servers the benchmarks start (node --expose-gc -r bench/server-probe.js …),
// with BENCH_MEMORY_DIR set to a folder the benchmark reads:
// - SIGUSR2 runs a full garbage collection, then writes the process's own view of its memory
//   (process.memoryUsage(): the main thread's heap, used and committed, and its spaces' committed
//   and used sizes) to <pid>.json, so memory is read after garbage, not before;
// - every second, the main thread's event-loop delay over that second (max and p99, ms) is
//   appended to <pid>.loop as a line of JSON with its time, with the second's longest garbage
//   collection pause and its kind, so the benchmark can read the delay of exactly its measured
//   window, and tell a collection from the product's own work: a stalled loop is what costs sockets
//   their heartbeats.
// Only on the main thread, where the sockets are: Node preloads this file into every worker thread
// too (the embedded database's among them), and a worker's figures, written under the same pid,
// were read as the server's (a statement of 57 ms on the database's thread showed as a 57 ms stall
// of the server's loop).
'use strict';
const { appendFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const perfHooks = require('node:perf_hooks');
const { constants, monitorEventLoopDelay } = perfHooks;
const v8 = require('node:v8');
const { isMainThread } = require('node:worker_threads');

const dir = isMainThread ? process.env.BENCH_MEMORY_DIR : undefined;

// Signals reach the main thread only, so this handler never runs in a worker.
process.on('SIGUSR2', () => {
  global.gc?.();
  if (!dir) return;
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]),
  );
  writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ ...process.memoryUsage(), spaces }));
});

const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};

if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // The second's longest collection pause and its kind: a loop stall that is a collection shows here.
  let gc = { maxMs: 0, kind: null };
  new perfHooks.PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.duration > gc.maxMs) gc = { maxMs: e.duration, kind: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind) };
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    appendFileSync(
      join(dir, `${process.pid}.loop`),
      `${JSON.stringify({ at: Date.now(), monotonicUs: Number(process.hrtime.bigint() / 1000n), maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, gcMaxMs: gc.maxMs, gcKind: gc.kind })}\n`,
    );
    delay.reset();
    gc = { maxMs: 0, kind: null };
  }, 1000).unref();
}
