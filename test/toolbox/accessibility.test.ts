/**
 * Issue 14, acceptance 5: axe-core in Chromium on every toolbox state (sign-in, compose,
 * compose with refused entries, an attachment over the server's limit, sending, the
 * results with a link to hand over, the sent log, its search with no match, a message's
 * detail, the revoke confirmation, an unknown page, the receipt key, the admin page, a
 * webhook's secret shown once, its remove confirmation, receipts locked; at 360 px and in
 * Swedish too) and every recipient-page state: no serious or critical violation. Also:
 * the whole compose form is reached by keyboard alone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecipientBrowser } from '../recipient/browser.js';
import { damagedLink, unknownLink } from '../recipient/messages.js';
import { accessibilityViolations } from './axe.js';
import { anna, per, scanQrCode } from './bankid.js';
import { desktop, openToolbox, phone, signedInToolbox, startToolboxWorld, toolboxUrl, type ToolboxWorld } from './harness.js';

let world: ToolboxWorld;

beforeAll(async () => {
  // A 1 MiB limit, so that an attachment over it is small enough to pick.
  world = await startToolboxWorld({ SIGILL_MAX_MESSAGE_BYTES: String(1024 * 1024) });
  world.smtp.refuse.add('nobody@example.se');
}, 240_000);

afterAll(async () => {
  await world?.close();
}, 60_000);

/** Every state checked, by name, so a failure says which. */
async function check(page: Page, state: string) {
  expect({ state, violations: await accessibilityViolations(page) }).toEqual({ state, violations: [] });
}

async function composeAndSend(page: Page, recipients: string, { slow = false } = {}) {
  await page.getByLabel(/^(Recipients|Mottagare)$/).fill(recipients);
  await page.getByLabel(/^(Errand|Ärende)$/).fill('Kallelse till möte');
  await page.getByRole('textbox', { name: /^(Message|Meddelande)$/ }).fill('Välkommen på tisdag.');
  if (slow) await page.route('**/chunks/**', async (route) => (await new Promise((resolve) => setTimeout(resolve, 1500)), route.continue()));
  await page.getByRole('button', { name: /^(Send|Skicka)$/ }).click();
}

describe('accessibility of the toolbox', { timeout: 180_000 }, () => {
  it('the sign-in has no serious or critical violation', async () => {
    for (const viewport of [desktop, phone]) {
      const { page, context } = await openToolbox(world, { viewport });
      await page.getByRole('button', { name: 'Sign in with BankID' }).waitFor();
      await check(page, `sign-in ${viewport.width}`);
      await page.getByRole('button', { name: 'Sign in with BankID' }).click();
      await page.locator('svg.qr path[d]').waitFor();
      await check(page, `sign-in, BankID QR code ${viewport.width}`);
      await context.close();
    }
  });

  it('every signed-in state, in English at 1280 px and in Swedish at 360 px, has no serious or critical violation', async () => {
    // One browser (its receipt key is in it); the language switch and the window's width change between rounds.
    const { page, context, errors } = await signedInToolbox(world, { viewport: desktop });
    for (const viewport of [desktop, phone]) {
      if (viewport === phone) {
        await page.goto(toolboxUrl(world, '#/compose'));
        await page.getByRole('button', { name: 'Byt till svenska' }).click();
        await page.setViewportSize(phone);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
      }
      await page.locator('#recipients').waitFor();
      await check(page, 'compose');

      await page.locator('#recipients').fill('0701234568&login=199908072392\nanna@example.se?login=*&cc=x\n08-123 456 78&login=*');
      await page.locator('#send').click();
      await page.locator('#send-problems li').first().waitFor();
      await check(page, 'compose refused');

      await page.locator('#attachments').setInputFiles({ name: 'stor.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1024 * 1024) });
      await page.locator('.file.refused').waitFor();
      expect(await page.locator('#attachments-limit').textContent()).toBe(viewport === phone ? 'Högst 1 MiB sammanlagt.' : 'Up to 1 MiB in all.');
      await check(page, 'compose, an attachment over the limit');
      await page.locator('.file.refused button').click();
      await page.locator('.file').waitFor({ state: 'detached' });

      await composeAndSend(page, `0701234567&login=${anna}\nnobody@example.se?login=${per}`, { slow: true });
      await page.locator('[data-state="sending"]').waitFor().catch(async (error: unknown) => {
        throw new Error(`not sending: ${await page.locator('#send-problems').innerText()} | ${await page.locator('#recipients-summary').innerText()}`, { cause: error });
      });
      await check(page, 'sending');
      await page.locator('[data-state="sent"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('.result.hand-over .link-field').count()).toBe(1);
      await check(page, 'sent, with a link to hand over');
      await page.unroute('**/chunks/**');

      await page.goto(toolboxUrl(world, '#/sent'));
      await page.locator('.message').first().waitFor();
      await check(page, 'sent log');
      await page.locator('#search').fill('no such errand at all');
      await page.locator('.empty').waitFor();
      await check(page, 'sent log, no match');

      await page.locator('#search').fill('');
      await page.locator('.message-errand a').first().click();
      await page.locator('.recipients-detail li').first().waitFor();
      await check(page, 'detail');
      await page.locator('#revoke').click();
      await page.getByRole('alertdialog').waitFor();
      await check(page, 'revoke confirmation');
      await page.locator('#revoke-yes').click();
      await page.locator('.badge[data-state="revoked"]').waitFor();
      await check(page, 'revoked');

      await page.goto(toolboxUrl(world, '#/keys'));
      await page.locator('[data-key-state="ready"]').waitFor();
      await check(page, 'receipt key');

      await page.goto(toolboxUrl(world, '#/admin'));
      await page.locator('#users li').first().waitFor();
      await page.locator('#webhooks li').first().waitFor();
      await check(page, 'admin');
      await page.locator('#webhook-url').fill('http://127.0.0.1:9/sigill');
      await page.locator('.webhook-form button[type="submit"]').click();
      await page.locator('#webhook-secret').waitFor();
      expect(await page.locator('#webhook-secret-note').textContent()).toMatch(viewport === phone ? /^Hemligheten visas inte igen\./ : /^The secret is not shown again\./);
      await check(page, 'admin, a webhook’s secret shown once');
      await page.locator('#webhooks [data-action="remove"]').click();
      await page.getByRole('alertdialog').waitFor();
      await check(page, 'admin, the webhook’s remove confirmation');
      await page.locator('#webhooks [data-action="remove-yes"]').click();
      await page.locator('#webhooks li.webhook').waitFor({ state: 'detached' });

      await page.goto(toolboxUrl(world, '#/nowhere'));
      await page.locator('h1').waitFor();
      await check(page, 'unknown page');
    }
    expect(errors).toEqual([]);
    await context.close();
  });


  it('reaches every compose control by keyboard, with a visible focus', async () => {
    const { page, context } = await signedInToolbox(world);
    await page.locator('#recipients').waitFor();
    // A second browser of the same user: its receipts are locked until the passkey or the backup opens them.
    await page.locator('#locked-notice').waitFor();
    await check(page, 'receipts locked');
    const reached: string[] = [];
    for (let i = 0; i < 40 && !reached.includes('send'); i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element) return null;
        const style = getComputedStyle(element);
        return { id: element.id || element.getAttribute('aria-label') || element.textContent || element.tagName, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
      });
      if (!focused) continue;
      reached.push(focused.id);
      expect({ control: focused.id, visibleFocus: focused.outline }).toEqual({ control: focused.id, visibleFocus: true });
    }
    for (const control of ['recipients', 'errand', 'Bold', 'message', 'attachments', 'expiry', 'read-limit', 'keep-text', 'send']) expect(reached).toContain(control);
    await context.close();
  });
});

describe('accessibility of the recipient page', { timeout: 180_000 }, () => {
  it('every state has no serious or critical violation', async () => {
    const live = await world.server.send({ readers: [`se-pnr:${per}`], errand: 'Läkarintyg', text: 'Endast för Per.', html: '<p>Endast för <b>Per</b>.</p>' });
    const reader = await openRecipientBrowser(world.browser);
    const { page } = reader;
    await page.goto(live.links[0]!);
    await page.locator('#errand').waitFor();
    await check(page, 'errand');
    await page.getByLabel('Personnummer (frivilligt)').fill('19990807-2392');
    await page.locator('#personal-number-status').waitFor();
    await check(page, 'personal number refused');
    await page.getByLabel('Personnummer (frivilligt)').fill('');
    await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
    await page.locator('svg.qr path[d]').waitFor();
    await check(page, 'QR code');
    let orderRef = await scanQrCode(world.server, page, 'svg.qr', anna);
    await world.server.control(`/control/orders/${orderRef}/cancel`);
    await page.getByRole('button', { name: 'Försök igen' }).waitFor({ timeout: 20_000 });
    await check(page, 'BankID failed');
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await page.locator('svg.qr path[d]').waitFor();
    orderRef = await scanQrCode(world.server, page, 'svg.qr', anna);
    await world.server.control(`/control/orders/${orderRef}/approve`, { identity: { personalNumber: anna } });
    await page.locator('[data-state="denied"]').waitFor({ timeout: 30_000 });
    await check(page, 'denied');
    await page.getByRole('button', { name: 'Identifiera dig med ett annat BankID' }).click();
    await page.getByRole('button', { name: 'BankID på en annan enhet' }).click();
    await page.locator('svg.qr path[d]').waitFor();
    orderRef = await scanQrCode(world.server, page, 'svg.qr', per);
    await world.server.control(`/control/orders/${orderRef}/approve`, { identity: { personalNumber: per } });
    await page.locator('iframe.message-frame').waitFor({ timeout: 30_000 });
    await check(page, 'message');

    const states: [string, string][] = [
      ['linkNotFound', unknownLink(world.server.origin)],
      ['secretMissing', live.links[0]!.split('#')[0]!],
      ['secretDamaged', damagedLink(live.links[0]!)],
    ];
    for (const [state, link] of states) {
      await page.goto('about:blank'); // a fragment alone would not load the page again
      await page.goto(link);
      await page.locator(`[data-state="${state}"]`).waitFor();
      await check(page, state);
    }
    // The server's answers for expired, used-up and revoked links, and no answer at all.
    for (const [state, status, code] of [['linkExpired', 410, 'link_expired'], ['linkExhausted', 410, 'link_exhausted'], ['linkRevoked', 410, 'link_revoked'], ['network', 0, '']] as const) {
      await page.route('**/api/v1/links/*', (route) => (status === 0 ? route.abort('internetdisconnected') : route.fulfill({ status, contentType: 'application/json', body: JSON.stringify({ error: { code, message: code } }) })));
      await page.goto('about:blank');
      await page.goto(live.links[0]!);
      await page.locator(`[data-state="${state}"]`).waitFor();
      await check(page, state);
      await page.unroute('**/api/v1/links/*');
    }
    await page.goto('about:blank');
    await page.goto(live.links[0]!);
    await page.getByRole('button', { name: 'Öppna BankID på den här enheten' }).click();
    await page.locator('#bankid-launch').waitFor();
    await check(page, 'BankID on this device');
    await reader.close();
  });
});
