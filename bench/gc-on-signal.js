// Preloaded into the servers the benchmarks start (node --expose-gc -r bench/gc-on-signal.js …):
// SIGUSR2 runs a full garbage collection, so memory is read after garbage, not before.
'use strict';
process.on('SIGUSR2', () => global.gc?.());
