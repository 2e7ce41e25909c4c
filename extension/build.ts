/**
 * Builds the extension with vite into dist/extension (load unpacked in Chromium or
 * Firefox), then one zip per store in dist/. The root manifest.json is the source.
 *
 *   npm run build:extension            dist/extension + dist/sigill-extension-<version>-{chrome,firefox}.zip;
 *                                      the host permission for its default server is granted at install
 *   tsx extension/build.ts --test      dist/extension-test: host permission for http://127.0.0.1 and
 *                                      localhost granted at install (the browser tests' server), no zips
 *
 * Environment: SIGILL_EXTENSION_SERVER (the default server address), SIGILL_EXTENSION_SMS_DOMAIN.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';
import { iconPng } from './icons.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..');

export interface BuildOptions {
  test?: boolean;
  zip?: boolean;
  outDir?: string;
  defaultServer?: string;
}

export async function buildExtension(options: BuildOptions = {}): Promise<string> {
  const outDir = resolve(projectRoot, options.outDir ?? join('dist', options.test ? 'extension-test' : 'extension'));
  const defaultServer = options.defaultServer ?? process.env.SIGILL_EXTENSION_SERVER ?? 'http://localhost:8787';
  const define = {
    __SIGILL_DEFAULT_SERVER__: JSON.stringify(defaultServer),
    __SIGILL_DEFAULT_SMS_DOMAIN__: JSON.stringify(process.env.SIGILL_EXTENSION_SMS_DOMAIN ?? 'sms.sigill.se'),
  };
  const common: InlineConfig = { configFile: false, root: here, logLevel: 'warn', define, publicDir: false };
  // Pages and the worker: ES modules sharing chunks.
  await build({
    ...common,
    base: './',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      modulePreload: false,
      sourcemap: false,
      rollupOptions: {
        input: {
          background: join(here, 'background/main.ts'),
          compose: join(here, 'compose/compose.html'),
          popup: join(here, 'popup/popup.html'),
          options: join(here, 'options/options.html'),
          offscreen: join(here, 'offscreen/offscreen.html'),
        },
        output: { entryFileNames: (chunk) => (chunk.name === 'background' ? 'background.js' : 'chunks/[name]-[hash].js'), chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
      },
    },
  });
  // The content script: a classic script, so one self-contained IIFE.
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: join(here, 'content/main.ts'), formats: ['iife'], name: 'sigillContent', fileName: () => 'content.js' },
    },
  });

  const manifest = JSON.parse(readFileSync(join(projectRoot, 'manifest.json'), 'utf8')) as Record<string, unknown> & { host_permissions: string[] };
  // The server the build is made for is reached without asking: a permission request shows
  // a prompt, and where none can be shown (a headless or managed browser) it never settles.
  // Other servers are asked for in Options (optional_host_permissions).
  const granted = new Set([...manifest.host_permissions, hostPattern(defaultServer)]);
  if (options.test) for (const pattern of ['http://127.0.0.1/*', 'http://localhost/*']) granted.add(pattern);
  manifest.host_permissions = [...granted];
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  for (const size of [16, 48, 128]) writeFileSync(join(outDir, 'icons', `icon-${size}.png`), iconPng(size));

  if (options.zip) await zipForStores(outDir, manifest.version as string);
  return outDir;
}

/** The match pattern for a server's origin; match patterns name no port. */
function hostPattern(server: string): string {
  const url = new URL(server);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`SIGILL_EXTENSION_SERVER must be http(s): ${server}`);
  return `${url.protocol}//${url.hostname}/*`;
}

/** The part of web-ext's programmatic API used here (it ships no types). */
interface WebExtModule {
  default: { cmd: { build(options: object, runOptions: object): Promise<unknown> } };
}

async function zipForStores(sourceDir: string, version: string): Promise<void> {
  const webExt = (await import('web-ext')) as WebExtModule;
  for (const store of ['chrome', 'firefox']) {
    await webExt.default.cmd.build(
      { sourceDir, artifactsDir: join(projectRoot, 'dist'), filename: `sigill-extension-${version}-${store}.zip`, overwriteDest: true },
      { shouldExitProgram: false },
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const test = process.argv.includes('--test');
  const outDir = await buildExtension({ test, zip: !test });
  console.log(`extension built in ${outDir}`);
}
