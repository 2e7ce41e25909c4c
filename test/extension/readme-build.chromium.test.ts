/**
 * Issue 10: the build the README names (`npm run build:extension`, loaded unpacked from
 * dist/extension, default settings) signs in against the local server in a browser where
 * no permission prompt can be shown, as the test build does. Before, its host-permission
 * request never settled there, and signing in hung.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSuite } from './session.js';

/** The README's build: no test permissions, the default server http://localhost:8787. */
const suite = chromiumSuite('readme-build', {}, (server) => server.url.replace('127.0.0.1', 'localhost'));
beforeAll(() => suite.start(), 120_000);
afterAll(() => suite.stop());

describe('the README build', () => {
  it('signs in against a server on localhost without a permission prompt, and lists what was sent', async () => {
    // suite.start() signed in through Options (it waits for "Signed in as …").
    const manifest = JSON.parse(readFileSync(join('dist', 'extension-test', 'readme-build', 'manifest.json'), 'utf8')) as { host_permissions: string[] };
    expect(manifest.host_permissions).toEqual(['http://localhost/*']);
    const popup = await suite.browser.context.newPage();
    await popup.goto(`chrome-extension://${suite.browser.extensionId}/popup/popup.html`);
    await expect.poll(() => popup.locator('#status').textContent()).toBe('Nothing sent yet.');
    await popup.close();
  }, 60_000);
});
