/**
 * Issue 14, acceptance 4: the toolbox's pictures at 360×740 and 1280×800 — sign-in,
 * compose, sending, the sent log and a message's detail. `npm run screenshots` writes
 * them into docs/toolbox/ (the README shows them); a plain test run writes them into
 * test-results/toolbox/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openRecipientBrowser } from '../recipient/browser.js';
import { repositoryRoot } from '../recipient/server-process.js';
import { anna, per, readAsRecipient } from './bankid.js';
import { desktop, openToolbox, phone, signedInToolbox, startToolboxWorld, toolboxUrl, type ToolboxWorld } from './harness.js';

const folder = join(repositoryRoot, process.env.TOOLBOX_SCREENSHOTS_DIR ?? 'test-results/toolbox');
let world: ToolboxWorld;

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  world = await startToolboxWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
}, 60_000);

async function both(page: Page, name: string, ready: () => Promise<unknown>) {
  for (const size of [phone, desktop]) {
    await page.setViewportSize(size);
    await ready();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(folder, `${name}-${size.width}.png`), animations: 'disabled', caret: 'hide' });
  }
}

it('takes the toolbox’s pictures at 360×740 and 1280×800', { timeout: 240_000 }, async () => {
  const signedOut = await openToolbox(world, { viewport: phone });
  await both(signedOut.page, '01-sign-in', () => signedOut.page.getByRole('button', { name: 'Sign in with BankID' }).waitFor());
  await signedOut.context.close();

  const { page, errors } = await signedInToolbox(world, { viewport: phone });
  await page.locator('#recipients').fill(`0701234567&login=${anna}\nper.holm@example.se?login=${per}\n0812345678&login=*`);
  await page.locator('#errand').fill('Ditt hyresavtal för Storgatan 1');
  await page.getByRole('textbox', { name: 'Message' }).fill('Hej! Här är avtalet. Signera och skicka tillbaka senast fredag.');
  await page.getByLabel('Attachments', { exact: true }).setInputFiles({ name: 'hyresavtal.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(180_000, 7) });
  await both(page, '02-compose', () => page.locator('.entry.problem').waitFor());

  await page.locator('#recipients').fill(`0701234567&login=${anna}\nper.holm@example.se?login=${per}`);
  await page.route('**/chunks/**', async (route) => (await new Promise((resolve) => setTimeout(resolve, 6000)), route.continue()));
  await page.locator('#send').click();
  await both(page, '03-sending', () => page.locator('[data-state="sending"]').waitFor());
  await page.locator('[data-state="sent"]').waitFor({ timeout: 60_000 });
  await page.unroute('**/chunks/**');

  const link = /http:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}/.exec(world.sms.sent[0]!.message)![0];
  const reader = await openRecipientBrowser(world.browser);
  await readAsRecipient(world.server, reader.page, link.replace('localhost', '127.0.0.1'), anna);
  await reader.page.locator('.approved').waitFor({ timeout: 30_000 });
  await reader.close();

  await page.goto(toolboxUrl(world, '#/sent'));
  await both(page, '04-sent-log', () => page.getByText(/read by Test Testsson/).first().waitFor({ timeout: 30_000 }));
  await page.locator('.message-errand a').first().click();
  await both(page, '05-detail', () => page.getByText(/read by Test Testsson/).first().waitFor({ timeout: 30_000 }));
  expect(errors).toEqual([]);
});
