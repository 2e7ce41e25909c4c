/**
 * The recipient's side, as the recipient page does it, over the real HTTP protocol
 * (PROTOCOL.md §8): read the link, start a verification with K_auth, approve it in the
 * BankID simulator's test app through its HTTP control API, poll until approved, fetch
 * and open the payloads: client/'s reading flow.
 */
import type { BrowserContext } from 'playwright-core';
import type { ContentDocument } from '../../shared/content.js';
import { parseLink } from '../../shared/link.js';
import { openLinkText, readMessage, releaseOf, startReading, waitForVerification } from '../../client/read.js';
import { recipientApi } from '../../client/recipient-api.js';
import { CookieJar } from '../server/cookie-jar.js';

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
 * returns the message text the page shows (of its HTML frame, when it has HTML).
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
    // A text message is shown as text; one with HTML in a sandboxed frame.
    const shown = page.locator('.message-text, .message-frame');
    await shown.waitFor({ timeout: 30_000 });
    if ((await shown.getAttribute('class'))?.includes('message-frame')) return (await page.frameLocator('.message-frame').locator('body').textContent()) ?? '';
    return (await shown.textContent()) ?? '';
  } finally {
    await page.close();
  }
}

async function json<T>(response: Response, expected: number): Promise<T> {
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function openAsRecipient(link: string, reader: Reader, testAppUrl: string): Promise<OpenedMessage> {
  const browser = new CookieJar();
  const api = recipientApi({ baseUrl: parseLink(link).origin, fetch: (url, init) => browser.fetch(url, init) });
  const opened = await openLinkText(api, link);
  const started = await startReading(api, opened);
  const { orderRef } = await control(testAppUrl, '/control/open', { autoStartToken: started.autoStartToken, identity: reader });
  await control(testAppUrl, `/control/orders/${orderRef}/approve`, { identity: reader });
  const state = await waitForVerification(api, started.verificationId, { timeoutMs: 15_000 });
  if (state.status !== 'approved') throw new Error(`verification ended ${state.status}`);
  return { errand: opened.errand, ...(await readMessage(api, releaseOf(opened, state.releaseToken))) };
}
