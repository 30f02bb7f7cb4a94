#!/usr/bin/env node
/**
 * The page's initial download, measured from the build: what index.html makes the browser fetch
 * before the first screen (the HTML, the entry chunk, every chunk it imports statically, and their
 * CSS), gzip-compressed as it travels, read from Vite's manifest (dist/web/.vite/manifest.json).
 * Chunks loaded by import() (the media engine and panel, the live draft) are listed apart: they
 * arrive when used. The respondent's page of a consultation (consult.html, at /c/<link>) is a page
 * of its own, sharing nothing with the app: its download is counted apart, against its own budget.
 *
 * Usage: node apps/web/build/bundle-report.mjs [dist dir] [--json | --summary]
 * Exit 1 when the initial download is above BUDGET_GZIP_BYTES (or the respondent's page above
 * RESPONDENT_BUDGET_GZIP_BYTES), 2 when there is no build.
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

/**
 * The respondent's page: people answering a consultation on a phone and a slow link. Measured
 * 2026-12-04: 9.3 kB gzip (the page's script with its three languages, its CSS, the HTML); 12 kB
 * leaves room for a few more sentences, not for a framework.
 */
export const RESPONDENT_BUDGET_GZIP_BYTES = 12_000;

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The report: the files of the initial download with their gzip sizes, their total, and the lazy chunks. */
export function bundleReport(dist) {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry && c.src === 'index.html');
  if (!entry) throw new Error(`${manifestPath}: no entry for index.html`);
  /** What an entry's page fetches before its first screen: the HTML, the entry, its static imports, their CSS. */
  const download = (key, html) => {
    const files = new Set([html]);
    const seen = new Set();
    const walk = (k) => {
      if (seen.has(k)) return;
      seen.add(k);
      const chunk = manifest[k];
      files.add(chunk.file);
      for (const css of chunk.css ?? []) files.add(css);
      for (const dep of chunk.imports ?? []) walk(dep);
    };
    walk(key);
    return files;
  };
  const initial = download(entry[0], 'index.html');
  const consult = Object.entries(manifest).find(([, c]) => c.isEntry && c.src === 'consult.html');
  const respondent = consult ? download(consult[0], 'consult.html') : new Set();
  const lazy = new Set();
  for (const chunk of Object.values(manifest)) {
    if (initial.has(chunk.file) || respondent.has(chunk.file)) continue;
    lazy.add(chunk.file);
    for (const css of chunk.css ?? []) if (!initial.has(css)) lazy.add(css);
  }
  const sized = (files) => [...files].map((file) => ({ file, gzip: gz(join(dist, file)) })).sort((a, b) => b.gzip - a.gzip);
  const initialFiles = sized(initial);
  const total = initialFiles.reduce((sum, f) => sum + f.gzip, 0);
  const respondentFiles = sized(respondent);
  const respondentTotal = respondentFiles.reduce((sum, f) => sum + f.gzip, 0);
  return {
    budget: BUDGET_GZIP_BYTES,
    total,
    withinBudget: total <= BUDGET_GZIP_BYTES,
    initial: initialFiles,
    lazy: sized(lazy),
    respondent: {
      budget: RESPONDENT_BUDGET_GZIP_BYTES,
      total: respondentTotal,
      withinBudget: respondentTotal <= RESPONDENT_BUDGET_GZIP_BYTES,
      files: respondentFiles,
    },
  };
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
    console.log(
      `web client: ${kB(report.total)} gzip initial download, budget ${kB(report.budget)}; ${kB(lazy)} more loaded when used; respondent page ${kB(report.respondent.total)}`,
    );
  } else {
    console.log('Initial download (gzip):');
    for (const f of report.initial) console.log(`  ${kB(f.gzip).padStart(9)}  ${f.file}`);
    console.log(`  ${kB(report.total).padStart(9)}  total, budget ${kB(report.budget)}`);
    console.log('Loaded when used (gzip):');
    for (const f of report.lazy) console.log(`  ${kB(f.gzip).padStart(9)}  ${f.file}`);
    console.log("The respondent's page, /c/<link> (gzip):");
    for (const f of report.respondent.files) console.log(`  ${kB(f.gzip).padStart(9)}  ${f.file}`);
    console.log(`  ${kB(report.respondent.total).padStart(9)}  total, budget ${kB(report.respondent.budget)}`);
  }
  if (!report.withinBudget) {
    console.error(`bundle-report: initial download ${kB(report.total)} is above the budget of ${kB(report.budget)}`);
    return 1;
  }
  if (!report.respondent.withinBudget) {
    console.error(
      `bundle-report: the respondent's page ${kB(report.respondent.total)} is above its budget of ${kB(report.respondent.budget)}`,
    );
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
