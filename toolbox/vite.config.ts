import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The toolbox as a static build in dist/toolbox/, served by the server at /toolbox/
 * (server/toolbox-page/). Every asset is hashed under /toolbox/assets/; nothing is
 * inlined, so the strict CSP (scripts and styles only from this origin) holds.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/toolbox/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/toolbox', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
