/**
 * Issue 13 in the extension (Chromium, the Gmail fixture, a real server emailing through a
 * real STARTTLS SMTP server in the test process):
 * - "One link per reader where readers differ": email recipients with different readers
 *   get an offer; sending waits for a choice; separate emails reach each recipient with a
 *   link of their own, and they leave To.
 * - The popup shows each delivery delivered, failed (with the SMTP code) or interrupted,
 *   and "Send again" on the failed and interrupted ones reaches the recipient with the
 *   link from the sealed label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { senderApi } from '../../client/sender-api.js';
import { makeTestCa, settingsFor, startSmtpPeer, type SmtpPeer, type TestCa } from '../server/email/smtp-peer.js';
import { addRecipient, linkPattern, pressSendSecure, sendFromDialog, waitForSealed, writeSecret } from './flow.js';
import { chromiumSuite } from './session.js';

let ca: TestCa;
let peer: SmtpPeer;
const suite = chromiumSuite('delivery', { test: true }, undefined, undefined, () => settingsFor(peer, ca));
beforeAll(async () => {
  ca = makeTestCa();
  peer = await startSmtpPeer(ca);
  await suite.start();
}, 120_000);
afterAll(async () => {
  await suite.stop();
  await peer?.close();
});

const recipients = { 'anna@example.se': '*', 'bo@example.se': '811218-9876', 'cecilia@example.se': '19990807-2391' };

/** A Gmail compose to `addresses`, sealed up to the send dialog's first "Send secure". */
async function composeTo(addresses: string[], errand: string): Promise<{ page: Page; frame: Awaited<ReturnType<typeof writeSecret>> }> {
  const page = await suite.openWebmail('https://mail.google.com/mail/u/0/#inbox');
  await page.getByRole('button', { name: 'Compose' }).click();
  await page.locator('[g_editable=true]').waitFor();
  for (const address of addresses) await addRecipient(page, 'to', address, '');
  await page.locator('input[name=subjectbox]').fill(errand);
  await pressSendSecure(page);
  const frame = await writeSecret(page, `Hemligt ${Date.now()}`);
  await sendFromDialog(frame, { errand, readers: Object.fromEntries(addresses.map((address) => [address, recipients[address as keyof typeof recipients]])) });
  return { page, frame };
}

const toOf = (mail: SmtpPeer['received'][number]) => (Array.isArray(mail.parsed.to) ? mail.parsed.to : [mail.parsed.to])[0]?.value[0]?.address;
const chips = (page: Page) => page.locator('[name=to] [data-hovercard-id]').evaluateAll((found) => found.map((chip) => chip.getAttribute('data-hovercard-id')));

describe('email recipients whose readers differ', () => {
  it('are offered separate emails; sending waits for a choice; each gets its own email and link from the server, and leaves To', async () => {
    const before = peer.received.length;
    const { page, frame } = await composeTo(['anna@example.se', 'bo@example.se'], 'Kallelse till möte');
    const offer = frame.locator('#email-offer');
    await offer.waitFor();
    expect(await offer.innerText()).toContain('a * lets anyone');
    expect(await offer.innerText()).toContain('Anyone who identifies with BankID can read');
    await expect.poll(() => frame.locator('footer [role=alert]').innerText()).toContain('choose how to send their links');
    expect(peer.received.length).toBe(before); // never merged without a choice

    await frame.getByLabel(/separate email/).check();
    await frame.getByRole('button', { name: 'Send secure' }).click();
    await waitForSealed(page);
    await expect.poll(() => peer.received.length, { timeout: 20_000 }).toBe(before + 2);
    const mails = peer.received.slice(before);
    expect(mails.map(toOf).sort()).toEqual(['anna@example.se', 'bo@example.se']);
    const links = mails.map((mail) => linkPattern(suite.server).exec(mail.parsed.text ?? '')?.[0]);
    expect(links.every(Boolean)).toBe(true);
    expect(new Set(links).size).toBe(2);
    for (const mail of mails) expect(mail.parsed.subject).toBe('Kallelse till möte');
    // Each link has the readers of its own recipient, not the union.
    const [latest] = (await senderApi({ baseUrl: suite.server.url, token: suite.server.token }).messages({ limit: 1 })).messages;
    expect(latest!.links.map((link) => link.deliveries.map((delivery) => `${delivery.channel} ${delivery.recipient} ${delivery.status}`))).toEqual([
      ['email a…@example.se sent'],
      ['email b…@example.se sent'],
    ]);
    expect(await chips(page)).toEqual([]);
    expect(await page.locator('[g_editable=true]').innerText()).not.toMatch(linkPattern(suite.server));
    await page.close();
  }, 120_000);

  it('can share one link anyway when the sender chooses so: one link in the email, nothing from the server', async () => {
    const before = peer.received.length;
    const { page, frame } = await composeTo(['anna@example.se', 'bo@example.se'], 'Delad länk');
    await frame.locator('#email-offer').waitFor();
    await frame.getByLabel(/Share one link/).check();
    await frame.getByRole('button', { name: 'Send secure' }).click();
    await waitForSealed(page);
    expect(await page.locator('[g_editable=true]').innerText()).toMatch(linkPattern(suite.server));
    expect(await chips(page)).toEqual(['anna@example.se', 'bo@example.se']);
    expect(peer.received.length).toBe(before);
    await page.close();
  }, 120_000);
});

describe('the popup', () => {
  it('shows deliveries delivered, failed and interrupted, and Send again reaches the failed and the interrupted recipient with their own link', async () => {
    peer.refuse.add('cecilia@example.se');
    const before = peer.received.length;
    const { page, frame } = await composeTo(['anna@example.se', 'bo@example.se', 'cecilia@example.se'], 'Ditt avtal');
    await frame.getByLabel(/separate email/).check();
    await frame.getByRole('button', { name: 'Send secure' }).click();
    await waitForSealed(page);
    await expect.poll(() => peer.received.length, { timeout: 20_000 }).toBe(before + 2);
    const firstLinkTo = (address: string) => linkPattern(suite.server).exec(peer.received.slice(before).find((mail) => toOf(mail) === address)!.parsed.text ?? '')?.[0];
    const boLink = firstLinkTo('bo@example.se')!;

    // Stage the other states on the server: anna's provider reported delivery; bo's
    // server died while handing a second email over (a pending delivery whose lease ended).
    const api = senderApi({ baseUrl: suite.server.url, token: suite.server.token });
    const [status] = (await api.messages({ limit: 1 })).messages;
    const linkOf = (masked: string) => status!.links.find((link) => link.deliveries[0]?.recipient === masked)!;
    const { store } = suite.server;
    expect(await store.deliveries.advance(linkOf('a…@example.se').deliveries[0]!.deliveryId, { status: 'delivered' }, Date.now())).toBe(true);
    const past = Date.now() - 60_000;
    await store.deliveries.start({
      deliveryId: 'interruptedDelivery0000',
      linkId: linkOf('b…@example.se').linkId,
      channel: 'email',
      recipientHint: 'b…@example.se',
      provider: 'smtp',
      reportTokenHash: null,
      parts: 1,
      leaseUntil: past,
      at: past,
    });

    const popup = await suite.browser.context.newPage();
    await popup.goto(`chrome-extension://${suite.browser.extensionId}/popup/popup.html`);
    const article = popup.locator('article', { hasText: 'Ditt avtal' }).first();
    await article.locator('.delivery-delivered', { hasText: 'a…@example.se' }).waitFor({ timeout: 30_000 });
    expect(await article.locator('.delivery-delivered').innerText()).toMatch(/^Email to a…@example\.se: delivered/);
    expect(await article.locator('.delivery-failed').innerText()).toMatch(/^Email to c…@example\.se: failed \(550\)/);
    expect(await article.locator('.delivery-interrupted').innerText()).toMatch(/^Email to b…@example\.se: interrupted by a server restart/);
    expect(await article.getByRole('button', { name: 'Send again' }).count()).toBe(2);
    const resendFor = (masked: string) => article.locator('li', { has: popup.locator('.delivery', { hasText: masked }) }).last().getByRole('button', { name: 'Send again' });

    await resendFor('b…@example.se').click();
    await expect.poll(() => peer.received.length, { timeout: 20_000 }).toBe(before + 3);
    const resent = peer.received.at(-1)!;
    expect(toOf(resent)).toBe('bo@example.se');
    expect(linkPattern(suite.server).exec(resent.parsed.text ?? '')?.[0]).toBe(boLink);
    await popup.getByText('Sent again.').waitFor();

    peer.refuse.delete('cecilia@example.se');
    await resendFor('c…@example.se').click();
    await expect.poll(() => peer.received.length, { timeout: 20_000 }).toBe(before + 4);
    const cecilia = peer.received.at(-1)!;
    expect(toOf(cecilia)).toBe('cecilia@example.se');
    const cecilidLink = linkPattern(suite.server).exec(cecilia.parsed.text ?? '')?.[0];
    expect(cecilidLink).toContain(`/o/${linkOf('c…@example.se').linkId}#`);
    expect(new Set([boLink, cecilidLink, firstLinkTo('anna@example.se')]).size).toBe(3);
    // Both are sent now: no more Send again.
    await expect.poll(() => article.getByRole('button', { name: 'Send again' }).count(), { timeout: 30_000 }).toBe(0);
    await popup.close();
    await page.close();
  }, 180_000);
});
