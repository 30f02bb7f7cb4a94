// Preloaded into the servers the benchmarks start (node --expose-gc -r bench/gc-on-signal.js …):
// SIGUSR2 runs a full garbage collection, so memory is read after garbage, not before; with
// BENCH_MEMORY_DIR set, the process's own view of its memory after it (process.memoryUsage(): the
// main thread's heap, used and committed) is written there as <pid>.json.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

process.on('SIGUSR2', () => {
  global.gc?.();
  const dir = process.env.BENCH_MEMORY_DIR;
  if (dir) writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(process.memoryUsage()));
});
