/**
 * BankID as a phone does it in the toolbox's tests: read the QR code off a screenshot
 * (jsQR), hand it to the simulator's test app, approve as a test identity. Used for the
 * toolbox's sign-in and for opening a message on the recipient page.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { readQrCode } from '../recipient/browser.js';
import { ControlError, type ServerProcess } from '../recipient/server-process.js';

export const anna = '199908072391'; // Test Testsson in the simulator
export const per = '196802020575'; // Per Holm

/** Scans the QR code in `selector` (an old one, over 2 s, is refused: scan again) and returns the orderRef. */
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
