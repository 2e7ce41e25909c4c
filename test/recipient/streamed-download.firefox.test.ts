/**
 * The recipient page's download service worker in Firefox ESR (Debian's firefox-esr,
 * driven by puppeteer-core over WebDriver BiDi), against a real server process with the
 * BankID simulator: an attachment streams to disk under its own name and matches byte
 * for byte, the download answered by the worker (it never reaches the server), and a
 * ciphertext byte flipped in the middle is told as tampering, and nothing of the
 * attachment is left under its name (Firefox's empty placeholder stays, 0 bytes).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealedLength } from '../../shared/stream.js';
import type { SealedMessage } from '../../shared/seal-message.js';
import { generatedFile, sha256OfFile } from './downloads.js';
import { identifyByQrCode } from './identify.js';
import { anna } from './messages.js';
import { startPayloadProxy, type PayloadProxy } from './payload-proxy.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const MiB = 1024 * 1024;

let server: ServerProcess;
let proxy: PayloadProxy;
let browser: Browser;
let folder: string;

beforeAll(async () => {
  if (!existsSync(firefoxPath)) throw new Error(`Firefox ESR is missing at ${firefoxPath} (apt-get install -y firefox-esr)`);
  folder = mkdtempSync(join(tmpdir(), 'sigill-firefox-downloads-'));
  server = await startServerProcess();
  proxy = await startPayloadProxy(server.origin);
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    extraPrefsFirefox: {
      'intl.accept_languages': 'sv-SE, sv',
      'dom.serviceWorkers.enabled': true,
      // Downloads go straight to the test's folder, under the name the page gave.
      'browser.download.folderList': 2,
      'browser.download.dir': folder,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.helperApps.neverAsk.saveToDisk': 'application/octet-stream',
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.alwaysOpenPanel': false,
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
    },
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
}, 60_000);

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeout = 60_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function openMessage(sealed: SealedMessage): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 740 });
  await page.goto(sealed.links[0]!.replace(server.origin, proxy.origin));
  await page.waitForSelector('#errand');
  await page.locator('::-p-text(BankID på en annan enhet)').click();
  await page.waitForSelector('svg.qr path[d]');
  await identifyByQrCode(server, async () => (await page.$('svg.qr'))!.screenshot(), anna);
  await page.waitForSelector('.attachments', { timeout: 60_000 });
  return page;
}

const status = (page: Page) => page.$eval('.attachment-status', (element) => element.textContent ?? '');

describe('streamed download in Firefox ESR', () => {
  it('streams an attachment to disk through the service worker, under its name, byte for byte', async () => {
    const size = 40 * MiB + 99;
    const file = generatedFile('utlåtande.pdf', size, 4);
    const [sealed, expected] = await Promise.all([server.send({ readers: [`se-pnr:${anna}`], errand: 'Utlåtande', text: 'Utlåtandet bifogas.', attachments: [file.source] }), file.sha256()]);
    const page = await openMessage(sealed);
    proxy.log.length = 0;
    await page.locator('button[aria-label="Ladda ner utlåtande.pdf"]').click();
    await until('the saved status', async () => (await status(page)) === 'Sparad.', 180_000);
    const saved = join(folder, 'utlåtande.pdf');
    await until('the whole file on disk', async () => existsSync(saved) && statSync(saved).size === size && !readdirSync(folder).some((name) => name.endsWith('.part')), 60_000);
    expect(await sha256OfFile(saved)).toBe(expected);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/download/'))?.active?.state)).toBe('activated');
    expect(proxy.log.some((entry) => entry.path.startsWith('/download/'))).toBe(false);
    // One request: the payload is fetched only once the download has begun (a pending navigation
    // would stop the page's fetch in Firefox, and it would start again).
    expect(proxy.log.filter((entry) => /\/payloads\/1$/.test(entry.path))).toHaveLength(1);
    await page.close();
  }, 300_000);

  it('stops at a flipped ciphertext byte, says so, and leaves no byte of it under the attachment’s name', async () => {
    const size = 12 * MiB;
    const file = generatedFile('beslut.pdf', size, 5);
    const sealed = await server.send({ readers: [`se-pnr:${anna}`], errand: 'Beslut', text: 'Beslutet bifogas.', attachments: [file.source] });
    const page = await openMessage(sealed);
    proxy.trouble(1, { flipAt: Math.floor(sealedLength(size) / 2) });
    await page.locator('button[aria-label="Ladda ner beslut.pdf"]').click();
    await until('the tampering status', async () => (await status(page)).startsWith('Bilagan har ändrats eller skadats'), 120_000);
    // Give Firefox a moment to settle the failed download, then look.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const left = readdirSync(folder);
    // Firefox reserves the name with an empty placeholder file when a download starts, and
    // leaves it when the download fails; the decrypted part (in beslut.pdf.part) it removes.
    // So nothing under the name holds a byte of the attachment.
    expect(left.filter((name) => name.startsWith('beslut'))).toEqual(left.includes('beslut.pdf') ? ['beslut.pdf'] : []);
    if (left.includes('beslut.pdf')) expect(statSync(join(folder, 'beslut.pdf')).size).toBe(0);
    await page.close();
  }, 300_000);
});
