import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const TEMPLATE = fileURLToPath(new URL('./service-worker.js', import.meta.url));

/**
 * Writes dist/web/sw.js (see service-worker.js) with the build's own list of files: every emitted
 * chunk, stylesheet and asset, lazy ones included (a delegate who opened the draft once has it
 * offline next time), but not source maps nor Vite's manifest. The version is a hash of that list,
 * so a new build is a new cache and the old one goes on activation.
 */
export function serviceWorker(): Plugin {
  return {
    name: 'parley-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && !f.endsWith('.map'))
        .sort()
        .map((f) => `/${f}`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(TEMPLATE, 'utf8')
        .replace("'__PARLEY_BUILD_VERSION__'", JSON.stringify(version))
        .replace("['__PARLEY_PRECACHE__']", JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
