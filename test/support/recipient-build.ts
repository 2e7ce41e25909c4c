/**
 * vitest globalSetup: builds the recipient page into dist/recipient and the toolbox into
 * dist/toolbox once, before any test
 * file runs. Every test that starts a real server process serves it from there; building
 * it inside one test file raced the others (a file that ran first got 503 "not built", and a
 * build mid-run emptied the folder under a running server).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../recipient/vite.config.ts', import.meta.url)), logLevel: 'warn' });
  await build({ configFile: fileURLToPath(new URL('../../toolbox/vite.config.ts', import.meta.url)), logLevel: 'error' });
}
