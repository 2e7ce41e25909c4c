/**
 * The secure compose frame: its send dialog in a small frame (issue 10), and the frame
 * on hostile ground (issue 15 items 10 and 11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { addRecipient, composeFrameOf, pageLog, pressSendSecure, secureFrame, sendSecureStatus } from './flow.js';
import { chromiumSuite } from './session.js';

/** The extension APIs these tests call inside the worker and the frame. */
declare const chrome: {
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
};

const suite = chromiumSuite('compose-frame');
beforeAll(() => suite.start(), 120_000);
afterAll(() => suite.stop());

describe('the send dialog', () => {
  it('keeps its Send button in view in a small compose frame, however many recipients', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    for (const name of ['Anna', 'Bo', 'Cecilia', 'David']) await addRecipient(page, 'to', `${name.toLowerCase()}@example.se`, name);
    await pressSendSecure(page);
    const frame = await secureFrame(page);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByRole('button', { name: 'Add an SMS recipient' }).click();
    const send = frame.getByRole('button', { name: 'Send secure' });
    await send.waitFor();
    const where = await send.evaluate((button) => {
      const box = button.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, height: innerHeight, page: document.documentElement.scrollHeight };
    });
    expect(where.page).toBeGreaterThan(where.height); // the dialog is taller than the frame
    expect(where.top).toBeGreaterThanOrEqual(0);
    expect(where.bottom).toBeLessThanOrEqual(where.height);
    await page.close();
  }, 60_000);
});

/** The keys of the worker's IndexedDB store `attachments`: sessions with plaintext files. */
function attachmentKeys(worker: Worker): Promise<string[]> {
  return worker.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const opening = indexedDB.open('sigill');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const keys = opening.result.transaction('attachments').objectStore('attachments').getAllKeys();
          keys.onsuccess = () => {
            resolve(keys.result as string[]);
            opening.result.close();
          };
        };
      }),
  );
}

function worker(): Worker {
  const [found] = suite.browser.context.serviceWorkers();
  if (!found) throw new Error('no service worker');
  return found;
}

/** Whether the worker still keeps compose session `sessionId` (storage.session). */
function isOpen(sessionId: string): Promise<boolean> {
  return worker().evaluate(async (key) => key in (await chrome.storage.session.get(key)), `session:${sessionId}`);
}

/** Opens the secure frame on a Gmail pop-out, types a secret; returns the page, the secret, the session and the frame URL with its token. */
async function openFrame(): Promise<{ page: Page; secret: string; sessionId: string; firstUrl: string }> {
  const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
  const urls: string[] = [];
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
  await pressSendSecure(page);
  const frame = await secureFrame(page);
  const secret = `Hemligt ${Date.now()}`;
  await frame.getByRole('textbox', { name: 'Secure message' }).fill(secret);
  const firstUrl = urls.find((url) => url.includes('/compose/compose.html')) ?? '';
  const sessionId = new URL(frame.url()).searchParams.get('session') ?? '';
  expect(await isOpen(sessionId)).toBe(true);
  return { page, secret, sessionId, firstUrl };
}

const warning = 'Sigill stopped this secure message';

describe('the secure frame on hostile ground (issue 15 item 10)', () => {
  it('puts its button and frame in closed shadow roots: the page sees neither the frame nor its URL', async () => {
    const { page } = await openFrame();
    const seen = await page.evaluate(() => ({
      shadows: [...document.querySelectorAll('[data-sigill="send-secure"], [data-sigill="secure-frame"]')].map((host) => host.shadowRoot),
      frames: window.length,
      timing: performance.getEntriesByType('resource').filter((entry) => entry.name.includes('compose.html')).length,
    }));
    expect(seen).toEqual({ shadows: [null, null], frames: 0, timing: 0 });
    await page.close();
  }, 60_000);

  it('stops the session with a warning when the page swaps the secure frame for its own', async () => {
    const { page, secret, sessionId } = await openFrame();
    // The hostile page takes our frame's host out and puts a look-alike in its place.
    await page.evaluate(() => {
      const ours = document.querySelector('[data-sigill="secure-frame"]')!;
      const fake = document.createElement('iframe');
      fake.title = 'Sigill secure message';
      ours.replaceWith(fake);
    });
    await expect.poll(() => sendSecureStatus(page)).toContain(warning);
    await expect.poll(() => isOpen(sessionId)).toBe(false);
    expect(composeFrameOf(page)).toBeUndefined();
    expect(await page.locator('[g_editable=true]').isVisible()).toBe(true); // the webmail's body is back
    expect((await pageLog(page)).seen.some((text) => text.includes(secret))).toBe(false);
    await page.close();
  }, 60_000);

  it('stops the session with a warning when the secure frame navigates away', async () => {
    const { page, sessionId } = await openFrame();
    // The frame's process changes with the navigation, so Playwright loses the frame: expected.
    await secureFrame(page).then((frame) => frame.goto('https://mail.google.com/mail/u/0/phish').catch(() => undefined));
    await expect.poll(() => sendSecureStatus(page)).toContain(warning);
    await expect.poll(() => isOpen(sessionId)).toBe(false);
    await page.close();
  }, 60_000);

  it('keeps the page from loading a copy of the frame: the compose page answers only its dynamic URL (use_dynamic_url)', async () => {
    const { page, sessionId, firstUrl } = await openFrame();
    await page.evaluate((url) => {
      const copy = document.createElement('iframe');
      copy.src = url;
      document.body.append(copy);
    }, firstUrl);
    await expect.poll(() => page.frames().length).toBe(3);
    const copy = page.frames().at(-1)!;
    await expect.poll(() => copy.evaluate(() => document.body.innerText).catch(() => '')).toContain('blocked');
    expect(await isOpen(sessionId)).toBe(true);
    expect(await sendSecureStatus(page)).not.toContain(warning);
    await page.close();
  }, 60_000);

  it('binds a session to one frame: its token works once, and presenting it again stops the session', async () => {
    const { page, sessionId, firstUrl } = await openFrame();
    const token = new URL(firstUrl).hash.slice(1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const frame = await secureFrame(page);
    expect(await frame.evaluate(() => location.hash)).toBe(''); // the frame dropped it from its URL
    // Not awaited in the frame: the worker stops the session, and the frame goes with it.
    await frame.evaluate(([id, presented]) => void chrome.runtime.sendMessage({ type: 'compose/bind', request: { sessionId: id, token: presented } }), [sessionId, token]);
    await expect.poll(() => sendSecureStatus(page)).toContain(warning);
    expect(await isOpen(sessionId)).toBe(false);
    await page.close();
  }, 60_000);
});

describe('plaintext attachments in the extension (issue 15 item 11)', () => {
  it('are not stored when the send fails', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await pressSendSecure(page);
    const frame = await secureFrame(page);
    await frame.getByRole('textbox', { name: 'Secure message' }).fill('Bilagan');
    await frame.locator('#attachments').setInputFiles([{ name: 'avtal.txt', mimeType: 'text/plain', buffer: Buffer.from('Hyresavtal i klartext') }]);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.locator('#errand').fill('Avtalet');
    await frame.getByLabel('Who may read: anna@example.se').fill('*');
    await frame.locator('#read-limit').fill('5000'); // the server refuses it, after the files were handed over
    await frame.getByRole('button', { name: 'Send secure' }).click();
    await frame.locator('[role=alert].problem').filter({ hasText: /\S/ }).first().waitFor();
    expect(await attachmentKeys(worker())).toEqual([]);
    await page.close();
  }, 60_000);

  it('an earlier version left are swept when the worker starts', async () => {
    await worker().evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const opening = indexedDB.open('sigill');
          opening.onsuccess = () => {
            const transaction = opening.result.transaction('attachments', 'readwrite');
            transaction.objectStore('attachments').put([{ name: 'left.txt', type: 'text/plain', size: 4, blob: new Blob(['kvar']) }], 'AAAAAAAAAAAAAAAAAAAAAA');
            transaction.oncomplete = () => resolve();
            transaction.onerror = () => reject(transaction.error);
          };
        }),
    );
    expect(await attachmentKeys(worker())).toContain('AAAAAAAAAAAAAAAAAAAAAA');
    // Stop the worker (as the browser does when it is idle), then wake it with the popup.
    const cdp = await suite.browser.context.browser()!.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    const running = targetInfos.find((target) => target.type === 'service_worker' && target.url.includes(suite.browser.extensionId))!;
    await cdp.send('Target.closeTarget', { targetId: running.targetId });
    await cdp.detach();
    const popup = await suite.browser.context.newPage();
    await popup.goto(`chrome-extension://${suite.browser.extensionId}/popup/popup.html`);
    await expect.poll(() => attachmentKeys(worker()).catch(() => ['not yet'])).not.toContain('AAAAAAAAAAAAAAAAAAAAAA');
    await popup.close();
  }, 60_000);
});
