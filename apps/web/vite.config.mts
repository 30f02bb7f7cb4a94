import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serviceWorker } from './build/service-worker-plugin';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

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
  plugins: [serviceWorker()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Read by build/bundle-report.mjs (the initial download and its budget) and by the service
    // worker's precache list (build/service-worker.mjs).
    manifest: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
}));
