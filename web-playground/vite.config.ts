import { fileURLToPath } from 'node:url';
import { defineConfig, searchForWorkspaceRoot } from 'vite';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  // Relative asset URLs: `dist/` works from any folder of any static host (a subpath included).
  base: './',
  build: {
    target: 'es2022',
    // The two .wasm files (the planner's and SQLite's) stay separate files, fetched once.
    assetsInlineLimit: 0,
    // The planner's wasm is about 0.8 MB before compression; that is expected here.
    chunkSizeWarningLimit: 1024,
  },
  // The planner's worker (src/planner-worker.ts) is an ES module worker, as is the page.
  worker: { format: 'es' },
  optimizeDeps: {
    // Pre-bundling would move the package's JS away from its .wasm file and break the
    // `new URL('comon_migrate_wasm_bg.wasm', import.meta.url)` that finds it; excluded, Vite
    // serves the package's files as they are, as it does in the production build.
    exclude: ['comon-migrate'],
  },
  server: {
    fs: {
      // The examples menu imports the README's blog schema from ../examples.
      allow: [searchForWorkspaceRoot(process.cwd()), repositoryRoot],
    },
  },
});
