#!/usr/bin/env node
/**
 * The page's initial download, measured from the build: what index.html makes the browser fetch
 * before the first screen (the HTML, the entry chunk, every chunk it imports statically, and their
 * CSS), gzip-compressed as it travels, read from Vite's manifest (dist/web/.vite/manifest.json).
 * Chunks loaded by import() (the media engine and panel, the live draft) are listed apart: they
 * arrive when used.
 *
 * Usage: node apps/web/build/bundle-report.mjs [dist dir] [--json | --summary]
 * Exit 1 when the initial download is above BUDGET_GZIP_BYTES, 2 when there is no build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The budget. Measured 2026-12-02 after the split (media engine, media panel, live draft loaded on
 * use): 157.6 kB gzip initial (level 9; was 190.1 kB by Vite's count, one chunk), most of it React DOM, Socket.IO and the
 * three language catalogues. 181 kB is that plus ~15 %: a change that adds more than that to the
 * first load must say why (at 64 kbit/s every 8 kB is one more second before the room shows).
 */
export const BUDGET_GZIP_BYTES = 181_000;

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The report: the files of the initial download with their gzip sizes, their total, and the lazy chunks. */
export function bundleReport(dist) {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry && c.src === 'index.html');
  if (!entry) throw new Error(`${manifestPath}: no entry for index.html`);
  const initial = new Set(['index.html']);
  const seen = new Set();
  const walk = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    initial.add(chunk.file);
    for (const css of chunk.css ?? []) initial.add(css);
    for (const dep of chunk.imports ?? []) walk(dep);
  };
  walk(entry[0]);
  const lazy = new Set();
  for (const chunk of Object.values(manifest)) {
    if (initial.has(chunk.file)) continue;
    lazy.add(chunk.file);
    for (const css of chunk.css ?? []) if (!initial.has(css)) lazy.add(css);
  }
  const sized = (files) => [...files].map((file) => ({ file, gzip: gz(join(dist, file)) })).sort((a, b) => b.gzip - a.gzip);
  const initialFiles = sized(initial);
  const total = initialFiles.reduce((sum, f) => sum + f.gzip, 0);
  return { budget: BUDGET_GZIP_BYTES, total, withinBudget: total <= BUDGET_GZIP_BYTES, initial: initialFiles, lazy: sized(lazy) };
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

function main(argv) {
  const json = argv.includes('--json');
  const dist = resolve(argv.find((a) => !a.startsWith('--')) ?? 'dist/web');
  const report = bundleReport(dist);
  if (!report) {
    console.error(`bundle-report: no build in ${dist} (run npm run build:web)`);
    return 2;
  }
  if (json) console.log(JSON.stringify(report));
  else if (argv.includes('--summary')) {
    // One line (npm start's build: the start's own output stays within a screen).
    const lazy = report.lazy.reduce((sum, f) => sum + f.gzip, 0);
    console.log(`web client: ${kB(report.total)} gzip initial download, budget ${kB(report.budget)}; ${kB(lazy)} more loaded when used`);
  } else {
    console.log('Initial download (gzip):');
    for (const f of report.initial) console.log(`  ${kB(f.gzip).padStart(9)}  ${f.file}`);
    console.log(`  ${kB(report.total).padStart(9)}  total, budget ${kB(report.budget)}`);
    console.log('Loaded when used (gzip):');
    for (const f of report.lazy) console.log(`  ${kB(f.gzip).padStart(9)}  ${f.file}`);
  }
  if (!report.withinBudget) {
    console.error(`bundle-report: initial download ${kB(report.total)} is above the budget of ${kB(report.budget)}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
