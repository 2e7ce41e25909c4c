/**
 * Issue 14: past the BankID sign-in starts allowed per address (SIGILL_RATE_STARTS_PER_IP,
 * here 1), the toolbox's sign-in says so in the page's language instead of showing a QR
 * code, and offers to start again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openToolbox, startToolboxWorld, type ToolboxWorld } from './harness.js';

let world: ToolboxWorld;

beforeAll(async () => {
  world = await startToolboxWorld({ SIGILL_RATE_STARTS_PER_IP: '1' });
}, 240_000);

afterAll(async () => {
  await world?.close();
}, 60_000);

it('says that too many BankID sign-ins were started from here, in English and in Swedish', { timeout: 120_000 }, async () => {
  const first = await openToolbox(world);
  await first.page.getByRole('button', { name: 'Sign in with BankID' }).click();
  await first.page.locator('svg.qr path[d]').waitFor();
  await first.page.getByRole('button', { name: 'Cancel' }).click();
  await first.page.getByRole('button', { name: 'Sign in with BankID' }).click();
  await expect.poll(() => first.page.getByRole('alert').textContent()).toBe('Too many BankID sign-ins were started from here. Wait a few minutes and try again.');
  expect(await first.page.locator('svg.qr').count()).toBe(0);
  expect(await first.page.getByRole('button', { name: 'Sign in with BankID' }).count()).toBe(1);

  const swedish = await openToolbox(world, { locale: 'sv-SE' });
  await swedish.page.getByRole('button', { name: 'Logga in med BankID' }).click();
  await expect.poll(() => swedish.page.getByRole('alert').textContent()).toBe('För många inloggningar med BankID har startats härifrån. Vänta några minuter och försök igen.');
  await Promise.all([first.context.close(), swedish.context.close()]);
});
