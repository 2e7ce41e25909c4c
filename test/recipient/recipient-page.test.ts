/**
 * The recipient page in headless Chromium against a real server process with the BankID
 * simulator (issue 5, acceptance 1–4): a sealed message opened by the QR code (read off
 * a screenshot, handed to the simulator's test app as a phone would) and on the same
 * device; the denied, failed and error states; screenshots at 360×740 of each state in
 * test-results/recipient/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealedMessage } from '../../shared/seal-message.js';
import { launchChromium, openRecipientBrowser, scanQrCode, type RecipientBrowser } from './browser.js';
import { anna, attachmentOf, checkRequests, damagedLink, per, randomFile, sha256, unknownLink } from './messages.js';
import { repositoryRoot, startServerProcess, type ServerProcess } from './server-process.js';

let server: ServerProcess;
let browser: Browser;
let expiring: SealedMessage;
const opened: RecipientBrowser[] = [];

beforeAll(async () => {
  // The page is built once for the whole run (test/support/recipient-build.ts).
  // The minimum lifetime of one minute lets one message expire while the others run.
  [server, browser] = await Promise.all([startServerProcess({ SIGILL_MIN_LIFETIME_MINUTES: '1' }), launchChromium()]);
  expiring = await server.send({ readers: '*', errand: 'Kallelse till möte', text: 'Välkommen.', expiresAt: new Date(Date.now() + 70_000).toISOString() });
}, 240_000);

afterAll(async () => {
  await Promise.all(opened.map((recipient) => recipient.close()));
  await browser?.close();
  await server?.close();
}, 60_000);

async function open(link: string, locale?: string): Promise<RecipientBrowser> {
  const recipient = await openRecipientBrowser(browser, locale);
  opened.push(recipient);
  await recipient.page.goto(link);
  return recipient;
}

async function expectState(page: Page, state: string) {
  await page.locator(`[data-state="${state}"]`).waitFor();
}

/** The BankID app on this device, opened by the launch URL the page made. */
async function openBankIdApp(page: Page, personalNumber: string): Promise<string> {
  const launch = new URL((await page.locator('#bankid-launch').getAttribute('href'))!);
  expect(launch.protocol).toBe('bankid:'); // desktop Chromium: bankid:///?autostarttoken=…&redirect=null
  expect(launch.searchParams.get('redirect')).toBe('null');
  const { orderRef } = await server.control('/control/open', { autoStartToken: launch.searchParams.get('autostarttoken'), identity: { personalNumber } });
  return orderRef as string;
}

describe('recipient page', () => {
  it('builds its JavaScript within 80 KiB gzipped', () => {
    const assets = join(repositoryRoot, 'dist/recipient/assets');
    const gzipped = readdirSync(assets)
      .filter((name) => name.endsWith('.js'))
      .reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
    expect(gzipped).toBeGreaterThan(1000);
    expect(gzipped).toBeLessThanOrEqual(80 * 1024);
  });

  it('opens a message by the QR code: errand before BankID, the text and a 5 MiB attachment byte for byte, no secret in any request', async () => {
    const attachment = randomFile(5 * 1024 * 1024);
    const html = '<p>Hej Test!</p><p>Här är <b>avtalet</b>. Läs mer på <a href="https://example.com/villkor">villkoren</a>.</p><script>alert(1)</script><img src="https://tracker.example/p.gif">';
    const sealed = await server.send({ readers: [`se-pnr:${anna}`], errand: 'Ditt hyreskontrakt är klart att läsa', text: 'Hej Test! Här är avtalet.', html, attachments: [attachmentOf('hyreskontrakt.pdf', attachment)] });
    const recipient = await open(sealed.links[0]!);
    const { page } = recipient;

    await expect.poll(() => page.locator('#errand').textContent()).toBe('Ditt hyreskontrakt är klart att läsa');
    expect(await page.locator('#sender-name').textContent()).toBe('Sigill demo');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(page.url()).not.toContain('#');
    await recipient.screenshot('01-errand');

    await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
    await page.locator('svg.qr path[d]').waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Starta BankID-appen.');
    await recipient.screenshot('03-qr');
    const orderRef = await scanQrCode(server, page, 'svg.qr', anna);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toContain('säkerhetskod');
    await recipient.screenshot('04-qr-scanned');
    await server.control(`/control/orders/${orderRef}/approve`, { identity: { personalNumber: anna } });

    const frame = page.frameLocator('iframe.message-frame');
    await expect.poll(() => frame.locator('body').innerText(), { timeout: 30_000 }).toContain('Här är avtalet');
    expect(await frame.locator('script').count()).toBe(0);
    expect(await frame.locator('img').getAttribute('src')).toBeNull(); // no remote images: they would tell a third party
    expect(await frame.locator('body').evaluate((body) => getComputedStyle(body).fontFamily)).toContain('system-ui'); // the frame's own stylesheet
    expect(await frame.locator('a').getAttribute('target')).toBe('_blank');
    expect(await frame.locator('a').getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.locator('iframe.message-frame').getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    expect(await page.locator('.approved').textContent()).toBe('✓ Identifierad som Test Testsson.'.slice(2));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner hyreskontrakt.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('hyreskontrakt.pdf');
    expect(sha256(readFileSync((await download.path())!))).toBe(sha256(attachment));
    await expect.poll(() => page.locator('.attachment-status').textContent()).toBe('Sparad.');
    await recipient.screenshot('05-message');

    const requests = await recipient.settled();
    expect(checkRequests(requests, sealed).authKeyBodies).toBe(1);
    expect(requests.every((request) => request.url.startsWith(server.origin) || request.url.startsWith('blob:'))).toBe(true);
    expect(recipient.errors).toEqual([]);
  });

  it('opens a message on the same device, going on after the page reloads when the BankID app returns', async () => {
    const sealed = await server.send({ readers: [`se-pnr:${anna}`], errand: 'Svar på din ansökan', text: 'Din ansökan är beviljad.\nSe https://example.com/beslut', readLimit: 1 });
    const recipient = await open(sealed.links[0]!);
    const { page } = recipient;
    await page.locator('#errand').waitFor();
    await page.getByRole('button', { name: 'Öppna BankID på den här enheten' }).click();
    await page.locator('#bankid-launch').waitFor();
    await recipient.screenshot('06-same-device');
    const orderRef = await openBankIdApp(page, anna);

    // iOS Safari comes back by opening the page again: the secret is in this tab's sessionStorage only.
    await page.reload();
    expect(await page.evaluate(() => location.hash)).toBe('');
    await server.control(`/control/orders/${orderRef}/approve`, { identity: { personalNumber: anna } });
    await expect.poll(() => page.locator('.message-text').textContent(), { timeout: 30_000 }).toBe('Din ansökan är beviljad.\nSe https://example.com/beslut');
    expect(await page.locator('.message-text a').getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(checkRequests(await recipient.settled(), sealed).authKeyBodies).toBe(1);
    expect(recipient.errors).toEqual([]);

    // Read once, as allowed: the link is used up.
    const again = await open(sealed.links[0]!);
    await expectState(again.page, 'linkExhausted');
    await again.screenshot('12-read-limit-reached');
  });

  it('tells an identity the sender did not allow that the message is not theirs and that the sender will see the attempt', async () => {
    const sealed = await server.send({ readers: [`se-pnr:${per}`], errand: 'Läkarintyg', text: 'Endast för Per.' });
    const recipient = await open(sealed.links[0]!);
    const { page } = recipient;
    await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
    const orderRef = await scanQrCode(server, page, 'svg.qr', anna);
    await server.control(`/control/orders/${orderRef}/approve`, { identity: { personalNumber: anna } });
    await expectState(page, 'denied');
    expect(await page.locator('[data-state="denied"]').textContent()).toContain('Avsändaren ser att någon försökte öppna det.');
    await recipient.screenshot('07-denied');
    await page.getByRole('button', { name: 'Identifiera dig med ett annat BankID' }).click();

    await page.locator('#errand').waitFor();
    expect(checkRequests(await recipient.settled(), sealed).authKeyBodies).toBe(1);
  });

  it('shows BankID’s message after a cancel in the app, tries again, and cancels from the page', async () => {
    const sealed = await server.send({ readers: '*', errand: 'Protokoll', text: 'Protokollet.' });
    const recipient = await open(sealed.links[0]!);
    const { page } = recipient;
    const field = page.getByLabel('Personnummer (frivilligt)');
    await field.fill('19990807-2392');
    await expect.poll(() => page.locator('#personal-number-status').textContent()).toBe('Sista siffran stämmer inte. Kontrollera siffrorna.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await recipient.screenshot('02-personal-number-checked');
    await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('personal-number'); // refused until corrected
    await field.fill('19990807-2391');
    await expect.poll(() => page.locator('#personal-number-status').textContent()).toBe('Personnumret ser rätt ut.');

    await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
    const orderRef = await scanQrCode(server, page, 'svg.qr', anna);
    await server.control(`/control/orders/${orderRef}/cancel`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toBe('Åtgärden avbruten.');
    await recipient.screenshot('08-bankid-failed');
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await page.locator('svg.qr path[d]').waitFor();
    await page.getByRole('button', { name: 'Avbryt' }).click();
    await page.getByRole('button', { name: 'BankID på en annan enhet' }).waitFor();
    const requests = await recipient.settled();
    expect(requests.filter((request) => request.method === 'DELETE' && request.url.includes('/api/v1/verifications/'))).toHaveLength(1);
    expect(checkRequests(requests, sealed).authKeyBodies).toBe(2);
  });

  it('shows link not found, revoked, fragment missing, fragment damaged and network trouble, each with what to do', async () => {
    const notFound = await open(unknownLink(server.origin));
    await expectState(notFound.page, 'linkNotFound');
    await notFound.screenshot('09-not-found');

    const sealed = await server.send({ readers: '*', errand: 'Återkallat', text: 'Borta.' });
    await server.revoke(sealed.request.messageId);
    const revoked = await open(sealed.links[0]!);
    await expectState(revoked.page, 'linkRevoked');
    await revoked.screenshot('11-revoked');

    const live = await server.send({ readers: '*', errand: 'Fakturaunderlag', text: 'Underlaget.' });
    const missing = await open(live.links[0]!.split('#')[0]!);
    await expectState(missing.page, 'secretMissing');
    await missing.screenshot('13-fragment-missing');
    const damaged = await open(damagedLink(live.links[0]!));
    await expectState(damaged.page, 'secretDamaged');
    expect(await damaged.page.evaluate(() => location.hash)).toBe('');
    await damaged.screenshot('14-fragment-damaged');

    const offline = await openRecipientBrowser(browser);
    opened.push(offline);
    await offline.page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
    await offline.page.goto(live.links[0]!);
    await expectState(offline.page, 'network');
    await offline.screenshot('15-network');
    await offline.page.unroute('**/api/v1/**');
    await offline.page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => offline.page.locator('#errand').textContent()).toBe('Fakturaunderlag');
    for (const recipient of [missing, damaged, offline]) expect(checkRequests(await recipient.settled(), live).authKeyBodies).toBe(0);
  });

  it('speaks English to a browser that prefers English', async () => {
    const sealed = await server.send({ readers: '*', errand: 'Your contract', text: 'Hello.' });
    const recipient = await open(sealed.links[0]!, 'en-GB');
    await expect.poll(() => recipient.page.locator('.eyebrow').textContent()).toBe('Secure message from');
    expect(await recipient.page.getByRole('button', { name: 'BankID on another device' }).count()).toBe(1);
    expect(await recipient.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await recipient.screenshot('16-errand-english');
    // Keyboard: the skip link leads to the content without putting a fragment in the address bar.
    await recipient.page.keyboard.press('Tab');
    await recipient.page.keyboard.press('Enter');
    expect(await recipient.page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await recipient.page.evaluate(() => location.hash)).toBe('');
  });

  it('shows the expired state once the message has expired', async () => {
    await expect
      .poll(async () => (await fetch(`${server.origin}/api/v1/links/${expiring.request.recipients[0]!.linkId}`)).status, { timeout: 90_000, interval: 2000 })
      .toBe(410);
    const recipient = await open(expiring.links[0]!);
    await expectState(recipient.page, 'linkExpired');
    await recipient.screenshot('10-expired');
  }, 120_000);
});
