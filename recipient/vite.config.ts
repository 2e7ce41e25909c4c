import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The recipient page as a static build in dist/recipient/, served by the server at
 * /o/<linkId> (server/recipient-page/). Every asset is hashed under /assets/, but for
 * the download service worker, download-worker.js.
 * The build prints the page's JavaScript size gzipped and fails above the budget.
 */
export const javaScriptBudgetBytes = 80 * 1024;

function javaScriptBudget(): Plugin {
  return {
    name: 'sigill-javascript-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let gzipped = 0;
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') gzipped += gzipSync(file.code, { level: 9 }).length;
      }
      const kib = (gzipped / 1024).toFixed(1);
      console.log(`\nrecipient page JavaScript: ${kib} KiB gzipped (budget ${javaScriptBudgetBytes / 1024} KiB)`);
      if (gzipped > javaScriptBudgetBytes) this.error(`the recipient page's JavaScript is ${kib} KiB gzipped, over the budget`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [javaScriptBudget()],
  build: {
    outDir: fileURLToPath(new URL('../dist/recipient', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Nothing inlined as data: URLs; every asset is a file the CSP allows as 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        // The download service worker keeps one fixed name (a worker is updated by its URL),
        // served at /download-worker.js so that its scope can be /download/.
        'download-worker': fileURLToPath(new URL('download-worker.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'download-worker' ? 'download-worker.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
