/**
 * BankID as a phone does it in the toolbox's tests: read the QR code off a screenshot
 * (jsQR), hand it to the simulator's test app, approve as a test identity. Used for the
 * toolbox's sign-in and for opening a message on the recipient page.
 */
import type { Page } from 'playwright-core';
import { scanQrCode } from '../recipient/browser.js';
import type { ServerProcess } from '../recipient/server-process.js';

export { scanQrCode };
export { anna, per } from '../recipient/messages.js';

export async function approve(server: ServerProcess, orderRef: string, personalNumber: string): Promise<void> {
  await server.control(`/control/orders/${orderRef}/approve`, { identity: { personalNumber } });
}

/** Opens `link` on the recipient page and reads it by BankID on another device (the QR code). */
export async function readAsRecipient(server: ServerProcess, page: Page, link: string, personalNumber: string): Promise<void> {
  await page.goto(link);
  await page.locator('#errand').waitFor();
  await page.getByRole('button', { name: /BankID på en annan enhet|BankID on another device/ }).click();
  await page.locator('svg.qr path[d]').waitFor();
  const orderRef = await scanQrCode(server, page, 'svg.qr', personalNumber);
  await approve(server, orderRef, personalNumber);
}
