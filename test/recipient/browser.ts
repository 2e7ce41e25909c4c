/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), a phone-sized
 * page that records every request it makes, screenshots at 360×740, and reading the
 * BankID QR code off a screenshot with jsQR, as a phone's camera would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { ControlError, repositoryRoot, type ServerProcess } from './server-process.js';

export const screenshotDir = join(repositoryRoot, 'test-results/recipient');

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface RecipientBrowser {
  page: Page;
  context: BrowserContext;
  requests: RecordedRequest[];
  /** Uncaught errors and console errors in the page (a CSP refusal shows here too). */
  errors: string[];
  /** Waits for the recorded requests' headers to be read. */
  settled(): Promise<RecordedRequest[]>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * How the page's `showSaveFilePicker` answers: `none` takes it away (a headless run
 * cannot answer Chromium's real picker), so the page streams through its download
 * service worker; `private-file` answers with a file of the origin private file system
 * (`save-picker-file`): a real FileSystemFileHandle whose writable commits only on close.
 */
export type SavePicker = 'none' | 'private-file';

export async function openRecipientBrowser(browser: Browser, locale = 'sv-SE', savePicker: SavePicker = 'none'): Promise<RecipientBrowser> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale, acceptDownloads: true });
  if (savePicker === 'none') await context.addInitScript(() => Object.defineProperty(window, 'showSaveFilePicker', { value: undefined }));
  else {
    await context.addInitScript(() =>
      Object.defineProperty(window, 'showSaveFilePicker', {
        value: async () => (await navigator.storage.getDirectory()).getFileHandle('save-picker-file', { create: true }),
      }),
    );
  }
  const requests: RecordedRequest[] = [];
  const pending: Promise<void>[] = [];
  context.on('request', (request) => {
    pending.push(
      request.allHeaders().then((headers) => {
        requests.push({ method: request.method(), url: request.url(), headers, body: request.postData() ?? '' });
      }),
    );
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    page,
    context,
    requests,
    errors,
    async settled() {
      await Promise.all(pending);
      return requests;
    },
    async screenshot(name) {
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled', caret: 'hide' });
    },
    close: () => context.close(),
  };
}

/** The text of the QR code in a screenshot of `selector`, or undefined if none is readable. */
export async function readQrCode(page: Page, selector: string): Promise<string | undefined> {
  return qrTextOf(await page.locator(selector).screenshot());
}

/** A phone scans the QR code in `selector` (an old one, over 2 s, is refused: scan again) and returns the orderRef. */
export async function scanQrCode(server: ServerProcess, page: Page, selector: string, personalNumber: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const qrData = await readQrCode(page, selector).catch(() => undefined);
    if (qrData !== undefined) {
      expect(qrData).toMatch(/^bankid\.[0-9a-f-]{36}\.\d+\.[0-9a-f]{64}$/);
      try {
        const { orderRef } = await server.control('/control/scan', { qrData, identity: { personalNumber } });
        return orderRef as string;
      } catch (error) {
        if (!(error instanceof ControlError && error.code === 'qr_too_old') || attempt >= 10) throw error;
      }
    } else if (attempt >= 20) throw new Error('no readable QR code on the page');
    await page.waitForTimeout(300);
  }
}

/** The text of the QR code in a PNG screenshot (from any browser driver). */
export function qrTextOf(screenshot: Uint8Array): string | undefined {
  const png = PNG.sync.read(Buffer.from(screenshot));
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  return jsQR(pixels, png.width, png.height)?.data;
}
