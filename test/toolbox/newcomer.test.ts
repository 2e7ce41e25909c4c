/**
 * Issue 14, acceptance 6: the newcomer's path, as the README's "Try it" says, after
 * `npm start` (here `tsx server/main.ts` on a free port, as `npm start` runs it once built):
 * open the printed toolbox address, sign in with BankID as the printed demo admin in the
 * BankID test app's page (choose the identity, open-app, approve), send yourself a message,
 * open its link from the SMS outbox, identify in the test app the same way, read it, and
 * see "read by" in Sent. Every step is done in Chromium on the pages a person uses.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../recipient/browser.js';
import { repositoryRoot } from '../recipient/server-process.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';

let server: ServerProcess;
let browser: Browser;
const dataDir = mkdtempSync(join(tmpdir(), 'sigill-newcomer-'));

beforeAll(async () => {
  // The embedded defaults, as npm start has them: the simulator in-process, the outbox, the demo sender and its admin.
  [server, browser] = await Promise.all([startServerProcess({ SIGILL_WORKERS: '1', SIGILL_DATA_DIR: dataDir }), launchChromium()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** In the BankID test app's page: the printed identity, open-app on the pending order, approve. */
async function approveInTestApp(testApp: Page, personalNumber: string) {
  await testApp.reload();
  await testApp.locator('#preset').selectOption(personalNumber);
  // The page redraws its order list every second: press the button as it is at that moment.
  const press = (action: string) => testApp.evaluate((text) => {
    const found = [...document.querySelectorAll<HTMLButtonElement>('.order button')].find((button) => button.textContent === text);
    found?.click();
    return found !== undefined;
  }, action);
  await expect.poll(() => press('open-app'), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => press('approve'), { timeout: 20_000 }).toBe(true);
}

it('follows the README: sign in to the printed toolbox as the printed demo admin, send yourself a message, read it', { timeout: 240_000 }, async () => {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const steps = readme.slice(readme.indexOf('## Try it'), readme.indexOf('## ', readme.indexOf('## Try it') + 3));
  expect(steps).toContain('npm ci && npm start');
  expect(steps).toContain('**Sign in with BankID**');
  expect(steps).toContain('`0701234567&login=199908072391`');

  // What npm start printed: the toolbox, the demo admin, the test app.
  await expect.poll(() => /BankID test app\s+\S+/.test(server.output.join('')), { timeout: 30_000 }).toBe(true);
  const output = server.output.join('');
  const printed = /Toolbox\s+(\S+)\s+\(Sign in with BankID as (.+?), (\d{12}), in the test app\)/.exec(output)!;
  expect(printed).not.toBeNull();
  const [, toolbox, name, personalNumber] = printed;
  const testAppUrl = /BankID test app\s+(\S+)/.exec(output)![1]!;
  expect(steps).toContain(`${name} ${personalNumber}`);

  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const testApp = await context.newPage();
  await testApp.goto(testAppUrl);
  await page.goto(toolbox!);
  await page.getByRole('button', { name: 'Sign in with BankID' }).click();
  await page.locator('svg.qr path[d]').waitFor();
  await approveInTestApp(testApp, personalNumber!);
  await page.getByRole('button', { name: 'Not now' }).click({ timeout: 30_000 });

  await page.getByLabel('Recipients', { exact: true }).fill(`0701234567&login=${personalNumber}`);
  await page.getByLabel('Errand', { exact: true }).fill('Test');
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Hello from the toolbox.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('[data-state="sent"]').waitFor({ timeout: 60_000 });

  const outbox = await context.newPage();
  await outbox.goto(new URL('/dev/outbox', toolbox).href);
  const link = /http:\/\/\S+\/o\/[\w-]{22}#[\w-]{43}/.exec(await outbox.locator('pre').first().innerText())![0];
  const reader = await context.newPage();
  await reader.goto(link);
  await reader.getByRole('button', { name: 'BankID on another device' }).click();
  await reader.locator('svg.qr path[d]').waitFor();
  await approveInTestApp(testApp, personalNumber!);
  await expect.poll(() => reader.locator('.message-text').textContent(), { timeout: 30_000 }).toBe('Hello from the toolbox.');

  await page.getByRole('button', { name: 'Follow it in Sent' }).click();
  await page.getByRole('link', { name: 'Sent', exact: true }).click();
  await expect.poll(() => page.locator('.recipient').first().textContent(), { timeout: 30_000 }).toContain(`read by ${name}`);
  await context.close();
});
