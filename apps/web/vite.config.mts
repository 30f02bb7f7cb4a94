import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { serviceWorker } from './build/service-worker-plugin';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Vite adds its modulepreload polyfill to every page; with two pages it becomes a chunk of its own,
 * one more request in the app's first download. The respondent's page (consult.html) loads no chunk
 * lazily and has no use for it: there it is an empty module, and the app keeps it in its entry chunk.
 */
function respondentPageWithoutPolyfill(): Plugin {
  const empty = '\0parley-no-polyfill';
  return {
    name: 'parley-respondent-page-without-polyfill',
    apply: 'build',
    enforce: 'pre',
    resolveId(id, importer) {
      return id === 'vite/modulepreload-polyfill' && importer?.includes('consult.html') ? empty : null;
    },
    load(id) {
      return id === empty ? '' : null;
    },
  };
}

/**
 * The web client. Built into dist/web, which the API serves at `/` (see apps/api/src/web-client.ts).
 * JSX goes through Vite's own transformer (automatic runtime): no Babel, no React plugin needed for
 * a production build. `npm run dev:web` proxies /api and /socket.io to an API on :3000.
 */
export default defineConfig(({ mode }) => ({
  root: here('.'),
  // A production build is one whatever NODE_ENV the shell has (Jest sets "test", which would
  // otherwise give React's development build).
  define: mode === 'production' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  base: '/',
  // The client shares the contract and the server's own membership rule (plain TypeScript).
  resolve: {
    alias: [
      { find: '@parley/contracts', replacement: here('../../libs/contracts/src/index.ts') },
      { find: /^@parley\/sessions\/domain\/(.*)$/, replacement: here('../../libs/sessions/src/domain/') + '$1' },
      { find: '@parley/platform/domain', replacement: here('../../libs/platform/src/domain/index.ts') },
      // The wording rules (render, resolve): the page previews a change with the rule that will apply it.
      { find: '@parley/agreement/domain/wording', replacement: here('../../libs/agreement/src/domain/wording.ts') },
      // Who will see what one writes: the server's own audience rules (chat, shuttle, proposals, drafts, the text).
      { find: '@parley/shuttle/domain/audience.policy', replacement: here('../../libs/shuttle/src/domain/audience.policy.ts') },
      { find: '@parley/agreement/domain/audience.policy', replacement: here('../../libs/agreement/src/domain/audience.policy.ts') },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  // dist/web/sw.js: the built files cached for repeat visits (registered by main.tsx).
  plugins: [serviceWorker(), respondentPageWithoutPolyfill()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Read by build/bundle-report.mjs (the initial download and its budget) and by the service
    // worker's precache list (build/service-worker.mjs).
    manifest: true,
    chunkSizeWarningLimit: 800,
    // Two pages: the app (index.html) and the respondent's page of a consultation (consult.html,
    // served at /c/<link>), which shares no code with the app so that it stays a few kilobytes.
    rollupOptions: {
      input: { index: here('index.html'), consult: here('consult.html') },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
}));
