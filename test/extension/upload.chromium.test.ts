/**
 * Issue 12, the extension's upload: sends run in the offscreen document, which the
 * browser keeps while the upload lasts (an MV3 service worker may be stopped while
 * idle), the send dialog shows the upload's progress, and a dropped connection costs
 * no more than the chunks in flight (client/upload.ts resends only what the server lacks).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRecipient, linkPattern, pressSendSecure, sendFromDialog, signIn, waitForSealed, writeSecret } from './flow.js';
import { openAsRecipient } from './recipient.js';
import { chromiumSuite } from './session.js';
import { throttleProxy, type ThrottleProxy } from './upload-throttle.js';
import { startCuttingProxy } from '../support/cutting-proxy.js';
import { chunkBytes, chunkCount } from '../../shared/api/uploads.js';
import { sealedLength } from '../../shared/stream.js';

const anna = { personalNumber: '198112189876', givenName: 'Anna', surname: 'Andersson' };
const suite = chromiumSuite('upload');
let slow: ThrottleProxy;

beforeAll(async () => {
  await suite.start();
  // 24 MiB at 6 MiB/s: the upload lasts seconds, long enough to stop the worker in it.
  slow = await throttleProxy(suite.server.url, 6 * 1024 * 1024);
  await signIn(suite.browser.context, suite.browser.extensionId, suite.server, slow.url);
}, 120_000);
afterAll(async () => {
  await suite.stop();
  await slow?.close();
});

/** The extension's targets in Chromium (service worker, offscreen document), through CDP. */
async function extensionTargets(): Promise<{ targetId: string; type: string; url: string }[]> {
  const cdp = await suite.browser.context.browser()!.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.filter((target) => target.url.includes(suite.browser.extensionId));
  } finally {
    await cdp.detach();
  }
}

async function stopServiceWorker(): Promise<void> {
  const running = (await extensionTargets()).find((target) => target.type === 'service_worker');
  if (!running) throw new Error('no service worker running');
  const cdp = await suite.browser.context.browser()!.newBrowserCDPSession();
  await cdp.send('Target.closeTarget', { targetId: running.targetId });
  await cdp.detach();
}

describe('the extension upload', () => {
  it('goes on in the offscreen document after the service worker is stopped, with its progress in the send dialog', async () => {
    const attachment = randomBytes(24 * 1024 * 1024);
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await page.locator('input[name=subjectbox]').fill('Röntgenbilder');
    await pressSendSecure(page);
    const frame = await writeSecret(page, 'Bilderna från i tisdags', [{ name: 'mr.bin', mimeType: 'application/octet-stream', buffer: attachment }]);
    await sendFromDialog(frame, { errand: 'Röntgenbilder', readers: { 'anna@example.se': '198112189876' } });

    // Midway: some chunks held by the server, not all.
    const bar = frame.locator('.progress progress');
    const midway = () => bar.evaluate((element: HTMLProgressElement) => ({ sent: element.value, total: element.max })).catch(() => ({ sent: 0, total: 1 }));
    await expect.poll(async () => (await midway()).sent, { timeout: 30_000 }).toBeGreaterThan(0);
    const { sent, total } = await midway();
    expect(sent).toBeLessThan(total);
    expect(await frame.locator('.progress [role=status]').innerText()).toMatch(/^Sealed and uploaded: [\d.]+ (B|KiB|MiB) of 24\.\d MiB$/);
    expect((await extensionTargets()).some((target) => target.url.endsWith('/offscreen/offscreen.html'))).toBe(true);

    await stopServiceWorker();
    await waitForSealed(page, 120_000);
    const body = await page.locator('[g_editable=true]').innerText();
    const link = linkPattern(suite.server).exec(body)?.[0];
    expect(link).toBeDefined();
    const opened = await openAsRecipient(link!, anna, suite.server.testAppUrl);
    expect(opened.content.attachments).toEqual([{ name: 'mr.bin', type: 'application/octet-stream', size: attachment.length }]);
    expect(Buffer.from(opened.attachments[0]!).equals(attachment)).toBe(true);
    await page.close();
  }, 180_000);

  it('completes through connections cut mid-upload, sending again no more than the chunks in flight', async () => {
    const attachment = randomBytes(40 * 1024 * 1024);
    const proxy = await startCuttingProxy({ target: suite.server.url });
    try {
      await signIn(suite.browser.context, suite.browser.extensionId, suite.server, proxy.url);
      const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
      await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
      await page.locator('input[name=subjectbox]').fill('Fallakten');
      await pressSendSecure(page);
      const frame = await writeSecret(page, 'Akten i sin helhet', [{ name: 'akt.pdf', mimeType: 'application/pdf', buffer: attachment }]);
      const before = proxy.bytesToServer;
      // Two cuts, 12 MiB apart: each drops a connection in the middle of a chunk.
      proxy.cutAfter(12 * 1024 * 1024, 2);
      await sendFromDialog(frame, { errand: 'Fallakten', readers: { 'anna@example.se': '*' } });
      await waitForSealed(page, 120_000);
      expect(proxy.cuts).toBe(2);

      const body = await page.locator('[g_editable=true]').innerText();
      const link = linkPattern(suite.server).exec(body)?.[0];
      expect(link).toBeDefined();
      const opened = await openAsRecipient(link!, anna, suite.server.testAppUrl);
      expect(Buffer.from(opened.attachments[0]!).equals(attachment)).toBe(true);

      // What reached the server: the ciphertext once, plus at most the chunks in flight
      // (3) per cut sent again, plus the requests' headers and the small JSON requests.
      const ciphertext = sealedLength(attachment.length);
      expect(chunkCount(ciphertext)).toBeGreaterThan(6);
      const sent = proxy.bytesToServer - before;
      expect(sent).toBeGreaterThanOrEqual(ciphertext);
      expect(sent - ciphertext).toBeLessThanOrEqual(2 * 3 * chunkBytes + 256 * 1024);
      console.log(`upload through two cuts: ${sent - ciphertext} bytes beyond the ciphertext (${((sent - ciphertext) / chunkBytes).toFixed(2)} chunks)`);
      await page.close();
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
