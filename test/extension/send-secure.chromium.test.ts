/**
 * Acceptance 1: the built extension in headless Chromium, against a real server with the
 * BankID simulator, on Gmail and Outlook fixtures served at their real URLs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildExtension } from '../../extension/build.js';
import { launchWithExtension, type ExtensionBrowser } from './chromium.js';
import { routeWebmail, webmailHosts } from './fixtures/routes.js';
import { addRecipient, filesHolding, linkPattern, pageLog, pressSendSecure, secureFrame, sendFromDialog, sendSecureButtons, signIn, waitForSealed, writeSecret } from './flow.js';
import { openAsRecipient, readInRecipientPage } from './recipient.js';
import { startServer, type RunningServer } from './server.js';

const anna = { personalNumber: '198112189876', givenName: 'Anna', surname: 'Andersson' };
let server: RunningServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  const [extensionDir, started] = await Promise.all([buildExtension({ test: true, outDir: join('dist', 'extension-test', 'chromium') }), startServer()]);
  server = started;
  browser = await launchWithExtension(extensionDir);
  await routeWebmail(browser.context);
  await signIn(browser.context, browser.extensionId, server);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openWebmail(url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  return page;
}

describe('Send secure in Gmail', () => {
  it('seals a compose opened after load: the body gets the errand and link, never the secret, and the recipient reads it', async () => {
    const secret = `Portkoden är 4711-${Date.now()}`;
    const attachment = Buffer.from('Hyresavtal, sida 1 av 1\n');
    const page = await openWebmail('https://mail.google.com/mail/u/0/#inbox');
    await page.getByRole('button', { name: 'Compose' }).click();
    await page.locator('[g_editable=true]').waitFor();
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await addRecipient(page, 'to', '0701234567&login=19811218*@sms.sigill.se', '');
    await page.locator('input[name=subjectbox]').fill('Ditt hyresavtal');

    await pressSendSecure(page);
    const frame = await writeSecret(page, secret, [{ name: 'hyresavtal.txt', mimeType: 'text/plain', buffer: attachment }]);
    await sendFromDialog(frame, { errand: 'Ditt hyresavtal', readers: { 'anna@example.se': '811218-9876' } });
    await waitForSealed(page);

    const body = await page.locator('[g_editable=true]').innerText();
    const emailLink = linkPattern(server).exec(body)?.[0];
    expect(emailLink).toBeDefined();
    expect(body).toContain('Ditt hyresavtal');
    expect(body).toContain('BankID');
    expect(body).toContain('Eva Ek'); // the signature stays
    expect(body).not.toContain(secret);
    // The gateway address became an SMS recipient and left To.
    const to = await page.locator('[name=to] [data-hovercard-id]').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-hovercard-id')));
    expect(to).toEqual(['anna@example.se']);

    await page.locator('.T-I-atl').click();
    const log = await pageLog(page);
    expect(log.sent).toHaveLength(1);
    expect(log.sent[0]!.text).toContain(emailLink);
    expect(log.sent[0]!.text).not.toContain(secret);
    expect(log.drafts.length).toBeGreaterThan(0);
    expect(log.drafts.some((draft) => draft.body.includes(emailLink!))).toBe(true); // the editor heard the link
    expect(log.drafts.some((draft) => draft.body.includes(secret))).toBe(false);
    expect(log.seen.some((text) => text.includes(secret))).toBe(false);

    // The server holds ciphertext only; the SMS copy carries a link of its own.
    expect(filesHolding(server.dataDir, secret)).toEqual([]);
    expect(filesHolding(server.dataDir, 'Hyresavtal, sida')).toEqual([]);
    const sms = server.outbox.entries().at(-1);
    expect(sms?.to).toBe('+46701234567');
    const smsLink = linkPattern(server).exec(sms?.text ?? '')?.[0];
    expect(smsLink).toBeDefined();
    expect(smsLink).not.toBe(emailLink);

    // The recipient opens the email link in the recipient page and identifies with BankID.
    expect(await readInRecipientPage(browser.context, emailLink!, anna, server.testAppUrl)).toBe(secret);
    // The same message over the protocol, attachment included (read limit: none).
    const opened = await openAsRecipient(emailLink!, anna, server.testAppUrl);
    expect(opened.errand).toBe('Ditt hyresavtal');
    expect(opened.content.text).toBe(secret);
    expect(opened.content.attachments).toEqual([{ name: 'hyresavtal.txt', type: 'text/plain', size: attachment.length }]);
    expect(Buffer.from(opened.attachments[0]!).equals(attachment)).toBe(true);

    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup/popup.html`);
    const read = popup.locator('.read').filter({ hasText: 'read by Anna Andersson' }).first();
    await read.waitFor({ timeout: 30_000 });
    const readAt = await read.locator('time').getAttribute('datetime');
    expect(Math.abs(Date.parse(readAt!) - Date.now())).toBeLessThan(5 * 60_000);
    expect(await popup.locator('article').first().innerText()).toContain('+46701234567: SMS delivered');
    await popup.close();
    await page.close();
  }, 180_000);

  it('seals an inline reply that was already open, keeping the quoted reply and the signature', async () => {
    const secret = `Svar med kod ${Date.now()}`;
    const page = await openWebmail('https://mail.google.com/mail/u/0/?fixture=inline#inbox/abc');
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await pressSendSecure(page);
    const frame = await writeSecret(page, secret);
    await sendFromDialog(frame, { errand: 'Re: Contract', readers: { 'anna@example.se': '*' } });
    await waitForSealed(page);
    const body = await page.locator('[g_editable=true]').innerText();
    expect(body).toMatch(linkPattern(server));
    expect(body).toContain('Can you send the contract?');
    expect(body).toContain('Bostadsbolaget');
    expect(body.indexOf('Re: Contract')).toBeLessThan(body.indexOf('Can you send the contract?'));
    expect((await pageLog(page)).seen.some((text) => text.includes(secret))).toBe(false);
    await page.close();
  }, 120_000);
});

describe('Send secure in Outlook on the web', () => {
  it('seals a compose already open, moving the text the body held, into a body the editor model hears', async () => {
    const secret = `Ny portkod 1234-${Date.now()}`;
    const page = await openWebmail('https://outlook.office.com/mail/deeplink/compose');
    const editor = page.locator('#editorParent_0 > [contenteditable]');
    await editor.locator('.elementToProof').click();
    await page.keyboard.type('Draft typed in Outlook');
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await page.getByPlaceholder('Add a subject').fill('Nya nycklar');

    await pressSendSecure(page);
    const frame = await secureFrame(page);
    await frame.getByText('may already have saved it as a draft').waitFor();
    await frame.getByRole('button', { name: 'Move it here' }).click();
    await expect.poll(() => frame.getByRole('textbox', { name: 'Secure message' }).inputValue()).toBe('Draft typed in Outlook');
    await frame.getByRole('textbox', { name: 'Secure message' }).fill(`Draft typed in Outlook\n${secret}`);
    // "Send secure" beside Send, pressed again, opens the dialog too.
    await pressSendSecure(page);
    await frame.locator('#errand').waitFor();
    await frame.getByLabel('Who may read: anna@example.se').fill('198112189876');
    await expect.poll(() => frame.getByText('May read: 1 person.').count()).toBe(1);
    await frame.getByRole('button', { name: 'Send secure' }).click();
    await waitForSealed(page);

    const body = await editor.innerText();
    const link = linkPattern(server).exec(body)?.[0];
    expect(link).toBeDefined();
    expect(body).toContain('Nya nycklar');
    expect(body).toContain('Eva Ek');
    expect(body).not.toContain('Draft typed in Outlook');

    await page.locator('[data-testid=ComposeSendButton] button').click();
    const log = await pageLog(page);
    expect(log.sent).toHaveLength(1);
    // Outlook serialises its model, which changes only on input events.
    expect(log.inputTypes).toContain('insertText');
    expect(log.sent[0]!.text).toContain(link);
    expect(log.sent[0]!.text).not.toContain(secret);
    expect(log.drafts.some((draft) => draft.body.includes(secret))).toBe(false);
    expect(log.seen.some((text) => text.includes(secret))).toBe(false);
    expect(filesHolding(server.dataDir, secret)).toEqual([]);

    const opened = await openAsRecipient(link!, anna, server.testAppUrl);
    expect(opened.content.text).toBe(`Draft typed in Outlook\n${secret}`);
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup/popup.html`);
    await popup.locator('article', { hasText: 'Nya nycklar' }).locator('.read', { hasText: 'read by Anna Andersson' }).first().waitFor({ timeout: 30_000 });
    await popup.close();
    await page.close();
  }, 180_000);

  it('finds a compose opened after load on outlook.live.com and seals it', async () => {
    const page = await openWebmail('https://outlook.live.com/mail/0/');
    await page.getByRole('button', { name: 'New mail' }).click();
    await addRecipient(page, 'to', 'bo@example.se', '');
    await page.getByPlaceholder('Add a subject').fill('Kallelse');
    await pressSendSecure(page);
    const frame = await writeSecret(page, 'Tid: tisdag 10.00');
    await sendFromDialog(frame, { errand: 'Kallelse', readers: { 'bo@example.se': '19811218*' } });
    await waitForSealed(page);
    await page.locator('[data-testid=ComposeSendButton] button').click();
    const log = await pageLog(page);
    expect(log.sent[0]!.text).toMatch(linkPattern(server));
    expect(log.sent[0]!.text).not.toContain('tisdag');
    await page.close();
  }, 120_000);

  it('places "Send secure" on every webmail host the manifest matches', async () => {
    for (const host of webmailHosts) {
      const page = await openWebmail(host === 'mail.google.com' ? `https://${host}/mail/u/0/?view=cm` : `https://${host}/mail/deeplink/compose`);
      await expect.poll(() => sendSecureButtons(page), { timeout: 15_000 }).toHaveLength(1);
      await page.close();
    }
  }, 120_000);
});

describe('The service worker answers only the extension', () => {
  it('refuses a content script that asks for anything but opening a compose frame', async () => {
    const page = await openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    await expect.poll(() => sendSecureButtons(page), { timeout: 15_000 }).toHaveLength(1);
    const cdp = await browser.context.newCDPSession(page);
    const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    await cdp.send('Runtime.enable');
    const contentScript = contexts.find((context) => context.auxData?.type === 'isolated' && context.name === 'Sigill: Send secure');
    expect(contentScript).toBeDefined();
    const askAs = async (type: string, request: unknown) => {
      const { result } = await cdp.send('Runtime.evaluate', {
        contextId: contentScript!.id,
        expression: `chrome.runtime.sendMessage(${JSON.stringify({ type, request })})`,
        awaitPromise: true,
        returnByValue: true,
      });
      return result.value as { ok: boolean; error?: { code: string } };
    };
    for (const type of ['messages/list', 'receiptKey/export', 'compose/context', 'account/signOut']) {
      expect(await askAs(type, { sessionId: 'AAAAAAAAAAAAAAAAAAAAAA' }), type).toEqual({ ok: false, error: expect.objectContaining({ code: 'caller_refused' }) });
    }
    expect((await askAs('compose/open', { sessionId: 'BBBBBBBBBBBBBBBBBBBBBB', webmail: 'gmail', existingText: '' })).ok).toBe(true);
    // The page itself has no way in at all.
    expect(await page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
    await cdp.detach();
    await page.close();
  }, 60_000);
});

describe('Options', () => {
  it('exports the receipt key as a backup file, imports it back, and refuses a file that is not one', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options/options.html`);
    const shownKey = await page.locator('#receipt-key').textContent();
    expect(shownKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export backup file' }).click()]);
    const backup = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; receiptKey: string; privateKey: string };
    expect(backup.format).toBe('sigill-receipt-key');
    expect(backup.receiptKey).toBe(shownKey);

    await page.locator('#import').setInputFiles({ name: 'sigill-receipt-key.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(backup)) });
    await expect.poll(() => page.locator('#receipt-key').textContent()).toBe(shownKey);
    expect(await page.locator('#problem').textContent()).toBe('');
    const mismatched = { ...backup, privateKey: backup.privateKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    await page.locator('#import').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mismatched)) });
    await expect.poll(() => page.locator('#problem').textContent()).toContain('does not belong together');
    await page.close();
  }, 60_000);
});

describe('The popup', () => {
  it('refreshes the list of sent messages with one request, however many there are', async () => {
    const before = server.requests.length;
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup/popup.html`);
    await expect.poll(() => popup.locator('article').count()).toBeGreaterThanOrEqual(3); // sent by the tests above
    const asked = server.requests.slice(before).filter((request) => request.includes('/api/v1/messages'));
    expect(asked).toEqual(['GET /api/v1/messages?limit=50']);
    await popup.close();
  }, 60_000);
});
