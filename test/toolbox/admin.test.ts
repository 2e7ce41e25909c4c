/**
 * The admin page (issue 14, "Admins manage users, API tokens and webhooks"): the demo
 * admin adds a member by personal identity number, sees them, creates an API token shown
 * once that works against the sender API, revokes it (then 401), and removes the member;
 * adds a webhook whose secret is shown once, gets a real event at a local receiver that
 * verifies it with `standardwebhooks` and that secret, and removes it (no more
 * deliveries); a member, a signed-out browser and a cross-site POST are refused the
 * webhooks; axe finds no serious or critical violation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { senderApi } from '../../client/sender-api.js';
import { startReceiver, verifyDelivery } from '../server/webhooks/receiver.js';
import { accessibilityViolations } from './axe.js';
import { per } from './bankid.js';
import { openToolbox, signedInToolbox, signInWithBankId, startToolboxWorld, toolboxUrl, type ToolboxWorld } from './harness.js';

let world: ToolboxWorld;

beforeAll(async () => {
  // Deliveries looked for every 200 ms, so that "no more deliveries" is soon clear.
  world = await startToolboxWorld({ SIGILL_WEBHOOKS_POLL_MS: '200' });
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

/** The sender's webhooks as the API token sees them. */
async function endpointsByToken(): Promise<{ id: string; url: string }[]> {
  const response = await fetch(`${world.server.origin}/api/v1/webhooks`, { headers: { authorization: `Bearer ${world.server.token}` } });
  return ((await response.json()) as { endpoints: { id: string; url: string }[] }).endpoints;
}

it('adds a webhook whose secret is shown once, delivers a real event signed with it, shows it turned off after a 410 and turns it on, and stops after it is removed with a confirmation', { timeout: 180_000 }, async () => {
  const receiver = await startReceiver();
  try {
    const { page, context, errors } = await signedInToolbox(world);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(toolboxUrl(world)).origin });
    await page.getByRole('link', { name: 'Admin' }).click();
    await expect.poll(() => page.locator('#webhooks li').allTextContents()).toEqual(['No webhooks yet.']);

    // The server checks the URL as it does for the API: https, a public address (loopback only on the development defaults).
    const url = page.getByLabel('Endpoint URL (https://…)');
    await url.fill('ftp://hooks.example.se/sigill');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect.poll(() => page.locator('#webhook-url-problem').textContent()).toBe('The URL must start with https:// (http:// only to this computer, on a development server).');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    await url.fill('https://10.1.2.3/sigill');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect.poll(() => page.locator('#webhook-url-problem').textContent()).toBe('The URL reaches a private, loopback or link-local address; a webhook must be on a public address.');
    expect(await endpointsByToken()).toEqual([]);

    await url.fill(receiver.url);
    await page.getByLabel('message.ready', { exact: true }).check();
    await page.getByLabel('link.read', { exact: true }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secretField = page.getByLabel('Its signing secret, shown this once:');
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(await secretField.getAttribute('aria-describedby')).toBe('webhook-secret-note');
    expect(await page.locator('#webhook-secret-note').textContent()).toBe('The secret is not shown again. Store it now where your system checks the signatures. If it is lost, remove the webhook and add it again.');
    expect(await page.locator('#admin-status').textContent()).toBe('The webhook is added.');
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const item = page.locator('#webhooks li.webhook');
    await expect.poll(() => item.locator('.webhook-url').textContent()).toBe(receiver.url);
    expect(await item.locator('.webhook-events').textContent()).toBe('Events: message.ready, link.read');
    expect(await item.locator('.webhook-created').textContent()).toMatch(/^added \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/);
    expect(await item.locator('.webhook-state').textContent()).toBe('no failed delivery');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Shown once: the page again lists the endpoint, but no answer holds the secret any more.
    await page.reload();
    await expect.poll(() => page.locator('#webhooks li.webhook').count()).toBe(1);
    expect(await page.locator('#webhook-secret').count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/api/v1/webhooks')).text())).not.toContain(secret.slice(6));

    // A real event: a message made ready through the sender API reaches the receiver, signed with the shown secret.
    const first = await world.server.send({ readers: '*', errand: 'Webhook', text: 'Hej' });
    await expect.poll(() => receiver.deliveries.length, { timeout: 30_000 }).toBe(1);
    const event = verifyDelivery(receiver.deliveries[0]!, secret);
    expect(event).toMatchObject({ type: 'message.ready', data: { messageId: first.request.messageId } });
    expect(() => verifyDelivery(receiver.deliveries[0]!, 'whsec_' + Buffer.alloc(24, 1).toString('base64'))).toThrow();

    // An endpoint that answers 410 is turned off; the page says so, and turns it on again.
    receiver.answer(410);
    await world.server.send({ readers: '*', errand: 'Webhook', text: 'Borta' });
    await expect.poll(() => receiver.deliveries.length, { timeout: 30_000 }).toBe(2);
    await page.reload();
    const state = page.locator('#webhooks li.webhook .webhook-state');
    await expect.poll(() => state.getAttribute('data-state')).toBe('disabled');
    expect(await state.textContent()).toMatch(/^Turned off after failing \(the last: http_410 \d{1,2} \w{3} \d{4}, \d{2}:\d{2}\)$/);
    await page.getByRole('button', { name: `Turn on webhook ${receiver.url} again` }).click();
    await expect.poll(() => state.getAttribute('data-state')).toBe('ok');
    expect(await page.locator('#admin-status').textContent()).toBe('The webhook is on again.');
    const third = await world.server.send({ readers: '*', errand: 'Webhook', text: 'Igen' });
    await expect.poll(() => receiver.deliveries.length, { timeout: 30_000 }).toBe(3);
    expect(verifyDelivery(receiver.deliveries[2]!, secret)).toMatchObject({ type: 'message.ready', data: { messageId: third.request.messageId } });

    // Removed after a confirmation, by keyboard; then the next event goes nowhere.
    await page.getByRole('button', { name: `Remove webhook ${receiver.url}` }).click();
    expect(await page.getByRole('alertdialog').textContent()).toContain(`Remove the webhook to ${receiver.url}? It gets no more events, and deliveries still waiting for it are dropped.`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, remove');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#webhooks li').allTextContents()).toEqual(['No webhooks yet.']);
    expect(await page.locator('#admin-status').textContent()).toBe('The webhook is removed.');
    expect(await endpointsByToken()).toEqual([]);
    await world.server.send({ readers: '*', errand: 'Webhook', text: 'Efter' });
    // The worker looks every 200 ms: two seconds without a delivery is ten looks.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(receiver.deliveries).toHaveLength(3);
    // Chromium logs the two refused URLs' 400s; nothing else went wrong.
    expect(errors).toEqual([expect.stringContaining('status of 400'), expect.stringContaining('status of 400')]);
  } finally {
    await receiver.close();
  }
});

it('refuses the webhooks to a member (403), a signed-out browser (401) and a cross-site POST (403)', { timeout: 180_000 }, async () => {
  const admin = await signedInToolbox(world);
  const apiUrl = `${new URL(toolboxUrl(world)).origin}/api/v1`;
  const publicOrigin = new URL(toolboxUrl(world)).origin;
  const added = await admin.context.request.post(`${apiUrl}/users`, { headers: { origin: publicOrigin }, data: { personalNumber: per, name: 'Per Holm', role: 'member' } });
  expect(added.status()).toBe(201);
  const body = { url: 'https://hooks.example.se/sigill' };

  // A cross-site POST with the admin's cookie: refused before anything is made.
  const crossSite = await admin.context.request.post(`${apiUrl}/webhooks`, { headers: { origin: 'https://evil.example' }, data: body });
  expect(crossSite.status()).toBe(403);
  expect(((await crossSite.json()) as { error: { code: string } }).error.code).toBe('origin_refused');
  expect(await endpointsByToken()).toEqual([]);

  const member = await openToolbox(world);
  await signInWithBankId(world, member, { personalNumber: per });
  expect(await member.page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  await member.page.goto(toolboxUrl(world, '#/admin'));
  await expect.poll(() => member.page.locator('h1').textContent()).toBe('There is no such page.');
  const asMember = (method: string) =>
    member.page.evaluate(async ([method, body]) => {
      const response = await fetch('/api/v1/webhooks', { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(body) } : {}) });
      return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    }, [method, body] as const);
  expect(await asMember('GET')).toEqual([403, 'admin_only']);
  expect(await asMember('POST')).toEqual([403, 'admin_only']);

  const signedOut = await openToolbox(world);
  const answer = await signedOut.page.evaluate(async () => {
    const response = await fetch('/api/v1/webhooks');
    return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
  });
  expect(answer).toEqual([401, 'token_missing']);
  expect(await endpointsByToken()).toEqual([]);
  await Promise.all([admin.context.close(), member.context.close(), signedOut.context.close()]);
});
