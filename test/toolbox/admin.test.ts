/**
 * The admin page (issue 14, "admin pages for users and tokens"): the demo admin adds a
 * member by personal identity number, sees them, creates an API token shown once that
 * works against the sender API, revokes it (then 401), and removes the member; axe finds
 * no serious or critical violation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { senderApi } from '../../client/sender-api.js';
import { accessibilityViolations } from './axe.js';
import { per } from './bankid.js';
import { signedInToolbox, startToolboxWorld, toolboxUrl, type ToolboxWorld } from './harness.js';

let world: ToolboxWorld;

beforeAll(async () => {
  world = await startToolboxWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
}, 60_000);

it('adds and removes a member, and creates and revokes an API token shown once', { timeout: 180_000 }, async () => {
  const { page, errors } = await signedInToolbox(world);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect.poll(() => page.locator('#users li').count()).toBe(1);
  await page.getByLabel('Personal identity number').fill(per);
  await page.getByLabel('Name', { exact: true }).fill('Per Holm');
  await page.getByRole('button', { name: 'Add user' }).click();
  // Each user shows their id, for `npm run admin -- gateway-allow --user <id>`.
  await expect.poll(() => page.locator('#users li').allTextContents()).toContainEqual(expect.stringMatching(/^Per Holm · member · user id [\w-]{36}Remove$/));
  expect(await page.locator('#admin-status').textContent()).toBe('The user is added: they sign in with BankID.');

  await page.getByLabel('Token name').fill('Fastighetssystemet');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByLabel('The new token, shown this once:').inputValue();
  expect(token).toMatch(/^sgl_/);
  const api = senderApi({ baseUrl: world.server.origin, token });
  expect((await api.me()).name).toBe('Sigill demo');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Revoke Fastighetssystemet' }).click();
  await expect.poll(() => page.locator('#tokens li', { hasText: 'Fastighetssystemet' }).count()).toBe(0);
  await expect(api.me()).rejects.toMatchObject({ status: 401 });
  await page.getByRole('button', { name: 'Remove Per Holm' }).click();
  await expect.poll(() => page.locator('#users li').count()).toBe(1);
  await page.goto(toolboxUrl(world, '#/sent'));
  expect(errors).toEqual([]);
});
