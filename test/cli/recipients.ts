/**
 * The other side of a CLI test: the server process the README starts, its development
 * SMS outbox, and a recipient who opens a link in the recipient page in Chromium and
 * proves a test identity with the simulator's test app by the QR code (read off a
 * screenshot, as a phone's camera would).
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { openRecipientBrowser, readQrCode, type RecipientBrowser } from '../recipient/browser.js';
import { ControlError, startServerProcess, type ServerProcess } from '../recipient/server-process.js';

/** The server as `npm start` runs it, with one worker (the CLI needs no more on this shared machine). */
export function startCliServer(): Promise<ServerProcess> {
  return startServerProcess({ SIGILL_WORKERS: '1' });
}

/** The link in the last SMS the server relayed to `to` (E.164), from /dev/outbox.json. */
export async function smsLink(server: ServerProcess, to: string): Promise<string> {
  const { sms } = (await (await fetch(`${server.origin}/dev/outbox.json`)).json()) as { sms: { to: string; text: string }[] };
  const text = sms.find((entry) => entry.to === to)?.text;
  const link = text && /https?:\/\/\S+\/o\/[\w-]{22}#[\w-]{43}/.exec(text)?.[0];
  if (!link) throw new Error('no SMS with a link in the outbox for that number');
  return link;
}

/** The link in the last email the server relayed to `to`, from /dev/outbox.json (the development outbox, no SMTP). */
export async function emailLink(server: ServerProcess, to: string): Promise<string> {
  const { email } = (await (await fetch(`${server.origin}/dev/outbox.json`)).json()) as { email: { to: string; text: string }[] };
  const text = email.find((entry) => entry.to === to)?.text;
  const link = text && /https?:\/\/\S+\/o\/[\w-]{22}#[\w-]{43}/.exec(text)?.[0];
  if (!link) throw new Error('no email with a link in the outbox for that address');
  return link;
}

/** Scans the page's QR code with the test app; an old code (over 2 s) is refused, so it scans again. */
async function approveByQrCode(server: ServerProcess, page: Page, personalNumber: string): Promise<void> {
  await page.getByRole('button', { name: /BankID (på en annan enhet|on another device)/ }).click();
  await page.locator('svg.qr path[d]').waitFor();
  for (let attempt = 1; ; attempt++) {
    const qrData = await readQrCode(page, 'svg.qr');
    try {
      if (qrData === undefined) throw new ControlError('qr_unreadable');
      const { orderRef } = await server.control('/control/scan', { qrData, identity: { personalNumber } });
      await server.control(`/control/orders/${orderRef as string}/approve`, { identity: { personalNumber } });
      return;
    } catch (error) {
      if (!(error instanceof ControlError) || attempt >= 10) throw error;
      await page.waitForTimeout(300);
    }
  }
}

/** Opens `link` and proves `personalNumber` with BankID; the page stays open. */
export async function identifyAs(server: ServerProcess, browser: Browser, link: string, personalNumber: string): Promise<RecipientBrowser> {
  const recipient = await openRecipientBrowser(browser);
  await recipient.page.goto(link);
  await recipient.page.locator('#errand').waitFor();
  await approveByQrCode(server, recipient.page, personalNumber);
  return recipient;
}

/** Opens `link` as `personalNumber` and waits for the message text; the page stays open for downloads. */
export async function openAs(server: ServerProcess, browser: Browser, link: string, personalNumber: string): Promise<RecipientBrowser> {
  const recipient = await identifyAs(server, browser, link, personalNumber);
  await expect.poll(() => recipient.page.locator('.message-text').count(), { timeout: 30_000 }).toBe(1);
  return recipient;
}
