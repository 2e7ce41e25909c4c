/**
 * The synced passkey provider itself, in Chromium on a bare page with the real
 * @simplewebauthn/browser (its UMD bundle) and checked by @simplewebauthn/server: the
 * registration and the assertion verify, as a backed-up multi-device passkey; the PRF
 * output is WebAuthn's over hmac-secret (computed here apart) and the same in a second
 * profile on the same vault; excluded credentials, a foreign RP ID and a missing passkey
 * are refused as a browser refuses them.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../recipient/browser.js';
import { installSyncedPasskeys, PasskeyVault } from './synced-passkey.js';

// The package exports no path to its bundle: its UMD file in node_modules.
const bundle = readFileSync(new URL('../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js', import.meta.url), 'utf8');
let http: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  http = createServer((request, response) => {
    if (request.url === '/swa.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>passkeys</title><script src="/swa.js"></script>');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(http.address() as { port: number }).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => http?.close(resolve));
});

async function profile(vault: PasskeyVault): Promise<Page> {
  const context = await browser.newContext();
  await installSyncedPasskeys(context, vault);
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  return page;
}

const challenge = () => randomBytes(32).toString('base64url');
const salt = randomBytes(32);

type Swa = { startRegistration(options: unknown): Promise<unknown>; startAuthentication(options: unknown): Promise<unknown> };
/** startRegistration or startAuthentication in the page, with the PRF input; the PRF output comes back as base64url. */
const ceremony = (page: Page, kind: 'register' | 'authenticate', optionsJSON: Record<string, unknown>): Promise<{ credential?: { response: { userHandle?: string } }; prf?: string | undefined; enabled?: boolean | undefined; error?: string }> =>
  page.evaluate(
    async ({ kind, optionsJSON, salt }) => {
      const swa = (globalThis as unknown as { SimpleWebAuthnBrowser: Swa }).SimpleWebAuthnBrowser;
      const first = Uint8Array.from(atob(salt), (c) => c.charCodeAt(0));
      const options = { optionsJSON: { ...optionsJSON, extensions: { prf: { eval: { first } } } } };
      try {
        const credential = (await (kind === 'register' ? swa.startRegistration(options) : swa.startAuthentication(options))) as { response: { userHandle?: string }; clientExtensionResults: { prf?: { enabled?: boolean; results?: { first: ArrayBuffer } } } };
        const output = credential.clientExtensionResults.prf?.results?.first;
        const prf = output && btoa(String.fromCharCode(...new Uint8Array(output))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        return { credential: { ...credential, clientExtensionResults: {} }, prf, enabled: credential.clientExtensionResults.prf?.enabled };
      } catch (error) {
        return { error: (error as { name: string }).name };
      }
    },
    { kind, optionsJSON, salt: salt.toString('base64') },
  );

it('registers and signs in as a synced passkey that @simplewebauthn/server verifies, with the same PRF output in a second profile', { timeout: 60_000 }, async () => {
  const vault = new PasskeyVault();
  const a = await profile(vault);
  const registrationChallenge = challenge();
  const userId = randomBytes(16).toString('base64url');
  const user = { id: userId, name: 'anna', displayName: 'Anna' };
  const created = await ceremony(a, 'register', { challenge: registrationChallenge, rp: { id: 'localhost', name: 'Sigill' }, user, pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
  const registration = await verifyRegistrationResponse({ response: created.credential as never, expectedChallenge: registrationChallenge, expectedOrigin: origin, expectedRPID: 'localhost', requireUserVerification: true });
  expect(registration.verified).toBe(true);
  const info = registration.registrationInfo!;
  expect(info.credentialDeviceType).toBe('multiDevice');
  expect(info.credentialBackedUp).toBe(true);
  expect(info.fmt).toBe('none');
  expect(created.enabled).toBe(true);

  const secret = vault.credentials[0]!.prfSecret;
  const expected = createHmac('sha256', secret).update(createHash('sha256').update('WebAuthn PRF').update(Buffer.from([0])).update(salt).digest()).digest('base64url');
  expect(created.prf).toBe(expected);

  for (const page of [a, await profile(vault)]) {
    const authenticationChallenge = challenge();
    const signedIn = await ceremony(page, 'authenticate', { challenge: authenticationChallenge, rpId: 'localhost', userVerification: 'required' });
    const authentication = await verifyAuthenticationResponse({
      response: signedIn.credential as never,
      expectedChallenge: authenticationChallenge,
      expectedOrigin: origin,
      expectedRPID: 'localhost',
      credential: { id: info.credential.id, publicKey: info.credential.publicKey, counter: info.credential.counter },
      requireUserVerification: true,
    });
    expect(authentication.verified).toBe(true);
    expect(signedIn.credential!.response.userHandle).toBe(userId);
    expect(signedIn.prf).toBe(expected);
  }

  expect(await ceremony(a, 'register', { challenge: challenge(), rp: { id: 'localhost', name: 'Sigill' }, user, pubKeyCredParams: [{ type: 'public-key', alg: -7 }], excludeCredentials: [{ id: info.credential.id, type: 'public-key' }] })).toEqual({ error: 'InvalidStateError' });
  expect(await ceremony(a, 'authenticate', { challenge: challenge(), rpId: 'example.com' })).toEqual({ error: 'SecurityError' });
  expect(await ceremony(await profile(new PasskeyVault()), 'authenticate', { challenge: challenge(), rpId: 'localhost' })).toEqual({ error: 'NotAllowedError' });
});
