/**
 * BankID for the download tests, as a person does it on a computer: BankID on another
 * device, the QR code read off a screenshot and handed to the simulator's test app as
 * a phone would; then the simulator approves. (Not the app on this device: headless
 * Chromium leaves the page's bankid: navigation pending, and the mouse stops reaching
 * the page.)
 */
import type { Page } from 'playwright-core';
import { qrTextOf } from './browser.js';
import { ControlError, type ServerProcess } from './server-process.js';

/** In Chromium (Playwright): BankID on another device, the QR code scanned. */
export async function identifyInChromium(server: ServerProcess, page: Page, personalNumber: string): Promise<void> {
  await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
  await page.locator('svg.qr path[d]').waitFor();
  await identifyByQrCode(server, () => page.locator('svg.qr').screenshot(), personalNumber);
}

/** Scans the QR code from `screenshot` (of the code) until the simulator takes one, then approves. */
export async function identifyByQrCode(server: ServerProcess, screenshot: () => Promise<Uint8Array>, personalNumber: string): Promise<void> {
  const identity = { personalNumber };
  for (let attempt = 1; ; attempt++) {
    const qrData = qrTextOf(await screenshot());
    if (qrData !== undefined) {
      try {
        const { orderRef } = await server.control('/control/scan', { qrData, identity });
        await server.control(`/control/orders/${orderRef}/approve`, { identity });
        return;
      } catch (error) {
        if (!(error instanceof ControlError && error.code === 'qr_too_old') || attempt >= 10) throw error;
      }
    } else if (attempt >= 10) throw new Error('no readable QR code on the page');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
