/**
 * Acceptance 2: the same build in Firefox ESR (Debian's firefox-esr), automated with
 * puppeteer-core over WebDriver BiDi (WEBMAIL.md §8.2): one Gmail flow end to end.
 * The Gmail fixture is served at https://mail.google.com by request interception.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.js';
import { fixtureResponse, webmailHosts } from './fixtures/routes.js';
import { filesHolding, linkPattern, type PageLog } from './flow.js';
import { openAsRecipient } from './recipient.js';
import { startServer, type RunningServer } from './server.js';

const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const geckoId = 'send-secure@sigill.se';
/** Fixed so the test can open the extension's pages (moz-extension://<uuid>/…). */
const extensionUuid = '5b1f4c1e-8d0a-4d7e-9a43-3c2a61f0e0aa';
const anna = { personalNumber: '198112189876', givenName: 'Anna', surname: 'Andersson' };

let server: RunningServer;
let browser: Browser;
/** The extension opens its options on install (BiDi may not navigate to moz-extension: URLs). */
let optionsPage: Page;

beforeAll(async () => {
  if (!existsSync(firefoxPath)) throw new Error(`Firefox ESR is missing at ${firefoxPath} (apt-get install -y firefox-esr)`);
  const [extensionDir, started] = await Promise.all([buildExtension({ test: true, outDir: join('dist', 'extension-test', 'firefox') }), startServer()]);
  server = started;
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: extensionUuid }),
      'extensions.update.enabled': false,
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
    },
  });
  await browser.installExtension(extensionDir);
  optionsPage = await until('the options page the extension opens on install', async () => {
    for (const page of await browser.pages()) {
      if ((await hrefOf(page)).startsWith(`moz-extension://${extensionUuid}/options/`)) return page;
    }
    return undefined;
  }, 60_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function routeWebmail(page: Page): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (webmailHosts.includes(url.hostname)) {
      const response = fixtureResponse(url);
      void request.respond({ status: response.status, headers: response.headers, body: response.body });
    } else {
      void request.continue();
    }
  });
}

/** Where a page or frame really is: over BiDi, url() of an extension frame may stay about:blank. */
function hrefOf(context: Page | Frame): Promise<string> {
  return context.evaluate(() => location.href).catch(() => '');
}

async function composeFrame(page: Page): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    if ((await hrefOf(frame)).startsWith(`moz-extension://${extensionUuid}/compose/`)) return frame;
  }
  return undefined;
}

describe('Send secure in Firefox ESR', () => {
  it('seals a Gmail compose: the body gets the link, never the secret, and the recipient reads it', async () => {
    const options = optionsPage;
    await options.waitForSelector('#server-url');
    await options.locator('#server-url').fill(server.url);
    await options.locator('#token').fill(server.token);
    await options.locator('#sign-in').click();
    const outcome = await until('signing in', () =>
      options.evaluate(() => (document.getElementById('problem')?.textContent || (document.getElementById('account')?.textContent?.includes('Signed in as') ? 'signed in' : ''))),
    );
    expect(outcome).toBe('signed in');
    await options.close();

    const secret = `Firefox-hemlighet ${Date.now()}`;
    const attachment = Buffer.from(`Hyresavtal ${Date.now()}\n`);
    const attachmentPath = join(mkdtempSync(join(tmpdir(), 'sigill-firefox-')), 'hyresavtal.txt');
    writeFileSync(attachmentPath, attachment);
    const page = await browser.newPage();
    await routeWebmail(page);
    await page.goto('https://mail.google.com/mail/u/0/#inbox');
    await page.locator('[gh=cm]').click();
    await page.waitForSelector('[g_editable=true]');
    await page.evaluate(() => {
      const fixture = (window as unknown as { __fixture: { addRecipient(field: string, address: string, name: string): void } }).__fixture;
      fixture.addRecipient('to', 'anna@example.se', 'Anna Andersson');
    });
    await page.locator('input[name=subjectbox]').fill('Ditt hyresavtal');
    const sendSecure = await until('the Send secure button', () => page.$('[data-sigill=send-secure]'));
    // Its shadow root is closed: press it with the mouse, as the sender does.
    const box = await until('the Send secure button laid out', () => sendSecure.boundingBox());
    await page.mouse.click(box.x + 16, box.y + box.height / 2);

    const frame = await until('the secure frame', () => composeFrame(page));
    await frame.waitForSelector('#secret-text');
    await frame.locator('#secret-text').fill(secret);
    // The attachment goes from the frame to the background page by reference (offscreen/handoff.ts).
    const picker = await until('the attachment picker', () => frame.$('#attachments'));
    await (picker as unknown as { uploadFile(...paths: string[]): Promise<void> }).uploadFile(attachmentPath);
    await frame.locator('::-p-text(Continue)').click();
    await frame.waitForSelector('#errand');
    expect(await frame.$eval('#errand', (input) => (input as HTMLInputElement).value)).toBe('Ditt hyresavtal');
    await frame.locator('input[aria-label="Who may read: anna@example.se"]').fill('198112189876');
    await frame.locator('section[aria-label="Send secure"] button.primary').click();
    const sealed = await until(
      'the frame to close',
      async () => {
        if ((await page.$('[data-sigill=secure-frame]')) === null) return 'sealed';
        const said = await frame.evaluate(() => [...document.querySelectorAll('[role=alert].problem')].map((element) => element.textContent ?? '').join(' ').trim()).catch(() => '');
        return said || undefined;
      },
      60_000,
    );
    expect(sealed).toBe('sealed');

    const body = await page.$eval('[g_editable=true]', (element) => (element as HTMLElement).innerText);
    const link = linkPattern(server).exec(body)?.[0];
    expect(link).toBeDefined();
    expect(body).not.toContain(secret);
    await page.locator('.T-I-atl').click();
    const log = await page.evaluate(() => (window as unknown as { __mail: PageLog }).__mail);
    expect(log.sent[0]!.text).toContain(link);
    expect(log.drafts.some((draft) => draft.body.includes(link!))).toBe(true);
    expect(log.drafts.some((draft) => draft.body.includes(secret))).toBe(false);
    expect(log.seen.some((text) => text.includes(secret))).toBe(false);
    expect(filesHolding(server.dataDir, secret)).toEqual([]);

    const opened = await openAsRecipient(link!, anna, server.testAppUrl);
    expect(opened.content.text).toBe(secret);
    expect(opened.content.attachments).toEqual([{ name: 'hyresavtal.txt', type: 'text/plain', size: attachment.length }]);
    expect(Buffer.from(opened.attachments[0]!).equals(attachment)).toBe(true);
    await page.close();
  }, 180_000);
});
