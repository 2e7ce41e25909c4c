/**
 * The recipient's side, as the recipient page does it, over the real HTTP protocol
 * (PROTOCOL.md §8): read the link, start a verification with K_auth, approve it in the
 * BankID simulator's test app through its HTTP control API, poll until approved, fetch
 * and open the payloads with shared/.
 */
import type { BrowserContext } from 'playwright-core';
import type { LinkInfo, VerificationState } from '../../shared/api.js';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { openErrand, parseContent, type ContentDocument } from '../../shared/content.js';
import { deriveKeys } from '../../shared/keys.js';
import { parseLink } from '../../shared/link.js';
import { openBytes } from '../../shared/stream.js';

export interface Reader {
  personalNumber: string;
  givenName: string;
  surname: string;
}

export interface OpenedMessage {
  errand: string;
  content: ContentDocument;
  attachments: Uint8Array[];
}

async function control(testAppUrl: string, path: string, body: unknown): Promise<{ orderRef?: string }> {
  return json(await fetch(testAppUrl.replace(/\/+$/, '') + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), 200);
}

/**
 * Opens the link in the recipient page (recipient/, served at /o/<linkId>), identifies on
 * "this device" and approves in the simulator's test app over its HTTP control API;
 * returns the message text the page shows.
 */
export async function readInRecipientPage(context: BrowserContext, link: string, reader: Reader, testAppUrl: string): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto(link);
    await page.locator('#errand').waitFor();
    await page.getByRole('button', { name: /Open BankID on this device|Öppna BankID på den här enheten/ }).click();
    const launch = new URL((await page.locator('#bankid-launch').getAttribute('href'))!);
    const { orderRef } = await control(testAppUrl, '/control/open', { autoStartToken: launch.searchParams.get('autostarttoken'), identity: reader });
    await control(testAppUrl, `/control/orders/${orderRef}/approve`, { identity: reader });
    const text = page.locator('.message-text');
    await text.waitFor({ timeout: 30_000 });
    return (await text.textContent()) ?? '';
  } finally {
    await page.close();
  }
}

async function json<T>(response: Response, expected: number): Promise<T> {
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function openAsRecipient(link: string, reader: Reader, testAppUrlGiven: string): Promise<OpenedMessage> {
  const testAppUrl = testAppUrlGiven.replace(/\/+$/, '');
  const { origin, linkId, secret } = parseLink(link);
  const linkIdText = encodeBase64url(linkId);
  let cookie = '';
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(origin + path, { ...init, headers });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    return response;
  };
  const info = await json<LinkInfo>(await request(`/api/v1/links/${linkIdText}`), 200);
  const keys = deriveKeys(secret, decodeBase64url(info.messageId, 16));
  const errand = await openErrand(keys, decodeBase64url(info.errand));
  const started = await json<{ verificationId: string; autoStartToken: string }>(
    await request(`/api/v1/links/${linkIdText}/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authKey: encodeBase64url(keys.auth) }),
    }),
    201,
  );
  const control = async (path: string, body: unknown) =>
    json<{ orderRef?: string }>(await fetch(testAppUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), 200);
  const { orderRef } = await control('/control/open', { autoStartToken: started.autoStartToken, identity: reader });
  await control(`/control/orders/${orderRef}/approve`, { identity: reader });

  let state: VerificationState | undefined;
  for (let attempt = 0; attempt < 60; attempt++) {
    state = await json<VerificationState>(await request(`/api/v1/verifications/${started.verificationId}`), 200);
    if (state.status !== 'pending') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (state?.status !== 'approved') throw new Error(`verification ended ${state?.status}`);
  const payload = async (index: number) => {
    const response = await request(`/api/v1/links/${linkIdText}/payloads/${index}`, { headers: { authorization: `Bearer ${state.releaseToken}` } });
    if (response.status !== 200) throw new Error(`payload ${index}: ${response.status}`);
    return openBytes(keys.payload(index), new Uint8Array(await response.arrayBuffer()));
  };
  const content = parseContent(await payload(0));
  const attachments: Uint8Array[] = [];
  for (let index = 1; index <= content.attachments.length; index++) attachments.push(await payload(index));
  return { errand, content, attachments };
}
