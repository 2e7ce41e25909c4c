/**
 * Passkeys with PRF in a real Chromium (Debian's, through playwright-core) with CDP's
 * virtual authenticator: sign in by BankID (the QR read off a screenshot), register a
 * passkey with PRF, sign out, sign in with the passkey; clear the browser's storage and
 * sign in again: the receipt key made at first opens a receipt, so it came from the
 * server, wrapped under the passkey's PRF output (which never reached the server). A
 * second profile gets the same credential (WebAuthn.getCredentials → addCredential) and
 * signs in with it; CDP does not carry the credential's PRF secret, so there the ring
 * stays locked until the backup file opens it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../../shared/base64url.js';
import { sealReceipt } from '../../../shared/receipts.js';
import { identityFor } from '../../../server/bankid/index.js';
import { launchChromium, readQrCode } from '../../recipient/browser.js';
import { alice, type SimulatorFixture } from '../bankid/simulator-fixture.js';
import { startBankId, startServer, type TestServer } from '../harness.js';
import { userOf } from './toolbox-browser.js';

vi.setConfig({ hookTimeout: 180_000, testTimeout: 180_000 });

let bundleDir: string;
let bankId: SimulatorFixture;
let server: TestServer;
let http: Server;
let origin: string;
let browser: Browser;
/** Every request body the pages sent to the API. */
const sentBodies: { url: string; body: string }[] = [];

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'sigill-signin-page-'));
  await build({
    configFile: false,
    root: fileURLToPath(new URL('./page/', import.meta.url)),
    base: '/test-page/',
    logLevel: 'warn',
    build: { outDir: bundleDir, emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, sourcemap: false, reportCompressedSize: false },
  });
  bankId = await startBankId();
  // The page and the API on one origin: the cookie and the passkey's RP ID are this server's.
  let api: ((request: Parameters<ReturnType<typeof getRequestListener>>[0], response: Parameters<ReturnType<typeof getRequestListener>>[1]) => void) | undefined;
  http = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/test-page/')) {
      const file = join(bundleDir, path.slice('/test-page/'.length) || 'index.html');
      try {
        const body = readFileSync(file);
        response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    api!(request, response);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(http.address() as { port: number }).port}`;
  server = await startServer(bankId, { publicOrigin: origin, collectIntervalMs: 0 });
  api = getRequestListener(server.app.fetch);
  await userOf(server, alice.personalNumber, 'Alva Lindqvist', 'admin');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => http?.close(resolve));
  await server?.close();
  await bankId?.close();
  rmSync(bundleDir, { recursive: true, force: true });
});

interface Profile {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

/** A fresh browser profile with a virtual platform authenticator that has PRF. */
async function profile(): Promise<Profile> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('request', (request) => {
    const body = request.postData();
    if (body && request.url().includes('/api/v1/')) sentBodies.push({ url: request.url(), body });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true, hasPrf: true },
  });
  await page.goto(`${origin}/test-page/index.html`);
  await page.evaluate(() => window.test.mount());
  return { context, page, cdp, authenticatorId };
}

async function signedInName(page: Page): Promise<string> {
  return (await page.locator('#signed-in').textContent({ timeout: 30_000 })) ?? '';
}

describe('passkeys with PRF in Chromium', () => {
  it('registers a PRF passkey after a BankID sign-in, signs in with it, unwraps the receipt key from the server on a cleared browser, and signs in on a second profile', async () => {
    const first = await profile();
    await first.page.getByRole('button', { name: 'Sign in with BankID' }).click();
    await first.page.locator('svg.qr path[d^="M"]').waitFor();
    const qr = await readQrCode(first.page, 'svg.qr');
    expect(qr).toMatch(/^bankid\./);
    const identity = identityFor(alice.personalNumber);
    const { orderRef } = bankId.simulator.testApp.scanQr(qr!, { identity });
    bankId.simulator.testApp.approve(orderRef, identity);

    // Offered a passkey: save it (PRF asked for); the page wraps the receipt key under its PRF output.
    await first.page.getByRole('button', { name: 'Save passkey' }).click();
    expect(await signedInName(first.page)).toBe('Signed in as Alva Lindqvist');
    const receiptKey = await first.page.evaluate(() => window.test.currentReceiptKey());
    const [stored] = await server.rows<{ public_key: string; wrapped: string }>('SELECT public_key, wrapped FROM receipt_keys');
    expect(stored!.public_key).toBe(receiptKey);
    const wrapped = JSON.parse(stored!.wrapped) as { credentialId: string; ciphertext: string }[];
    expect(wrapped).toHaveLength(1);
    const [passkey] = await server.rows<{ id: string; prf: number | boolean }>('SELECT id, prf FROM passkeys');
    expect(Number(passkey!.prf)).toBe(1);
    expect(wrapped[0]!.credentialId).toBe(passkey!.id);

    // Sign out, then in again with the passkey alone.
    await first.page.evaluate(() => window.test.signOut());
    expect((await first.page.evaluate(async () => (await fetch('/api/v1/me')).status))).toBe(401);
    await first.page.evaluate(() => window.test.mount());
    await first.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    expect(await signedInName(first.page)).toBe('Signed in as Alva Lindqvist');
    expect(await first.page.evaluate(() => window.test.state())).toBe('ready');

    const backup = await first.page.evaluate(() => window.test.exportBackup());
    const messageId = randomBytes(16);
    const sealed = await sealReceipt(decodeBase64url(receiptKey), messageId, { linkId: encodeBase64url(randomBytes(16)), identity: 'se-pnr:199908072391', name: 'Test Testsson', at: new Date().toISOString() });
    const opens = (page: Page) => page.evaluate(([key, id, box]) => window.test.openReceipt(key!, id!, box!), [receiptKey, encodeBase64url(messageId), encodeBase64url(sealed)]);

    // The same authenticator on a browser with nothing stored (IndexedDB and cookies cleared):
    // the receipt key comes from the server, unwrapped with the passkey's PRF output.
    await first.cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb,cookies' });
    await first.page.reload();
    expect(await first.page.evaluate(() => window.test.databases())).not.toContain('sigill-toolbox-keys');
    await first.page.evaluate(() => window.test.mount());
    await first.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    expect(await signedInName(first.page)).toBe('Signed in as Alva Lindqvist');
    expect(await first.page.evaluate(() => window.test.state())).toBe('ready');
    expect(await first.page.evaluate(() => window.test.currentReceiptKey())).toBe(receiptKey);
    expect(await opens(first.page)).toBe('Test Testsson');

    // A second profile with the same credential (WebAuthn.getCredentials → addCredential) signs in.
    // CDP's exported credential carries no PRF secret (Chromium 156: the added credential answers
    // no PRF output), so there the ring is locked until the backup file opens it.
    const { credentials } = await first.cdp.send('WebAuthn.getCredentials', { authenticatorId: first.authenticatorId });
    expect(credentials).toHaveLength(1);
    const second = await profile();
    await second.cdp.send('WebAuthn.addCredential', { authenticatorId: second.authenticatorId, credential: credentials[0]! });
    await second.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    expect(await signedInName(second.page)).toBe('Signed in as Alva Lindqvist');
    expect(await second.page.evaluate(() => window.test.state())).toBe('locked');
    await expect(second.page.evaluate(() => window.test.currentReceiptKey())).rejects.toThrow(/sign in with your passkey or import/);
    await second.page.evaluate((text) => window.test.importBackup(text), backup);
    expect(await second.page.evaluate(() => window.test.state())).toBe('ready');
    expect(await opens(second.page)).toBe('Test Testsson');

    // The PRF output never left the pages, and the server holds no private key in the clear.
    const webAuthnBodies = sentBodies.filter((sent) => /\/session\/passkey$|\/me\/passkeys$/.test(sent.url));
    expect(webAuthnBodies.length).toBeGreaterThanOrEqual(3);
    for (const sent of webAuthnBodies) expect(JSON.parse(sent.body).response.clientExtensionResults.prf?.results).toBeUndefined();
    expect(stored!.wrapped).not.toContain(receiptKey);
    await first.context.close();
    await second.context.close();
  });

  it('refuses a WebAuthn response that carries the PRF output (prf_output_sent)', async () => {
    const response = await server.app.request('/api/v1/session/passkey', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ response: { id: 'AAAAAAAAAAAAAAAAAAAAAA', rawId: 'AAAAAAAAAAAAAAAAAAAAAA', type: 'public-key', response: {}, clientExtensionResults: { prf: { results: { first: 'secret' } } } } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('prf_output_sent');
  });
});
