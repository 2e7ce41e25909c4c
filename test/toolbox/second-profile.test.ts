/**
 * Issue 14, acceptance 1: "sign in on a second browser profile with the same passkey, and
 * the receipts open there too", with a synced passkey, the way a passkey reaches a second
 * device (Google Password Manager, iCloud Keychain sync the credential and its PRF
 * secret): test/support/synced-passkey.ts answers WebAuthn in both profiles from one
 * vault; the server checks it with @simplewebauthn/server as for any passkey. Profile A
 * signs in by BankID, saves the passkey with PRF, sends a message that is read; profile B,
 * a new browser context with nothing imported, signs in with the passkey and its sent log
 * shows the errand and "read by". A provider with another PRF secret for the same
 * credential signs in, but the receipts stay locked until the backup file opens them, and
 * the copy its output does not open is never replaced with one under it. (CDP's virtual authenticator cannot
 * carry a PRF secret to another profile: see flow.test.ts for the backup file's path.)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSyncedPasskeys, PasskeyVault, type ProviderOptions } from '../support/synced-passkey.js';
import { anna, readAsRecipient } from './bankid.js';
import { openToolbox, signInWithBankId, startToolboxWorld, type SenderBrowser, type ToolboxWorld } from './harness.js';
import { openRecipientBrowser } from '../recipient/browser.js';

let world: ToolboxWorld;
const vault = new PasskeyVault();
let messageId: string;
/** Profile A's backup file (for the profile whose PRF output does not open the copy). */
let backup: string;

beforeAll(async () => {
  world = await startToolboxWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
}, 60_000);

/** A browser profile whose passkeys come from `vault` (through a provider with `options`). */
async function profile(route = '', options: ProviderOptions = {}): Promise<SenderBrowser> {
  const sender = await openToolbox(world, { route });
  await installSyncedPasskeys(sender.context, vault, options);
  await sender.page.reload();
  return sender;
}

const errand = 'Hyreskontrakt 2027';
const readByAnna = /^\+46701234567: SMS (sent|delivered), opened, verification started, read by Test Testsson \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/;

describe('a synced passkey on a second browser profile', { timeout: 180_000 }, () => {
  it('profile A signs in by BankID and saves the synced passkey with PRF; the receipt key is wrapped under its output', async () => {
    const a = await profile();
    await signInWithBankId(world, a, { passkey: true });
    expect(vault.credentials).toHaveLength(1);
    const me = await a.page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me.passkeys).toHaveLength(1);
    expect(me.passkeys[0].id).toBe(vault.credentials[0]!.id.toString('base64url'));
    expect(me.passkeys[0].prf).toBe(true);
    expect(me.receiptKey.wrapped).toHaveLength(1);

    await a.page.getByLabel('Recipients', { exact: true }).fill(`0701234567&login=${anna}`);
    await a.page.getByLabel('Errand', { exact: true }).fill(errand);
    await a.page.getByRole('textbox', { name: 'Message', exact: true }).click();
    await a.page.keyboard.type('Kontraktet ligger i din e-post.');
    await a.page.getByRole('button', { name: 'Send', exact: true }).click();
    await a.page.locator('[data-state="sent"]').waitFor({ timeout: 60_000 });
    const link = /http:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}/.exec(world.sms.sent[0]!.message)?.[0];
    expect(link).toBeDefined();
    messageId = (await world.server.sender.messages()).messages[0]!.messageId;

    const reader = await openRecipientBrowser(world.browser);
    await readAsRecipient(world.server, reader.page, link!.replace('localhost', '127.0.0.1'), anna);
    await expect.poll(() => reader.page.locator('.message-text').innerText(), { timeout: 30_000 }).toContain('Kontraktet');
    await reader.close();

    await a.page.getByRole('button', { name: 'Follow it in Sent' }).click();
    await a.page.getByRole('link', { name: 'Sent', exact: true }).click();
    await expect.poll(() => a.page.locator(`[data-message-id="${messageId}"] .recipient`).first().textContent(), { timeout: 30_000 }).toMatch(readByAnna);
    await a.page.getByRole('link', { name: 'Receipt key' }).click();
    const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByRole('button', { name: 'Save a backup' }).click()]);
    backup = readFileSync((await download.path())!, 'utf8');
    expect(a.errors).toEqual([]);
    await a.context.close();
  });

  it('profile B, with nothing imported, signs in with the same passkey, and the errand and the receipts open there', async () => {
    const b = await profile('#/sent');
    await b.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    const row = b.page.locator(`[data-message-id="${messageId}"]`);
    await expect.poll(() => row.locator('.recipient').first().textContent(), { timeout: 30_000 }).toMatch(readByAnna);
    expect(await row.locator('.message-errand').textContent()).toBe(errand);
    expect(await b.page.locator('#locked-notice').count()).toBe(0);
    expect(await b.page.locator('.who').textContent()).toBe('Test Testsson, Sigill demo');
    expect(b.errors).toEqual([]);
    await b.context.close();
  });

  it('a provider with another PRF secret for the same passkey signs in, but the receipts stay locked until the backup; the copy that opens is kept', async () => {
    const other = await profile('#/sent', { prfSecretOf: () => randomBytes(32) });
    await other.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => other.page.locator('#locked-notice').textContent(), { timeout: 30_000 }).toContain('Receipts are locked in this browser.');
    expect(await other.page.locator('.who').textContent()).toBe('Test Testsson, Sigill demo');
    await expect.poll(() => other.page.locator('#sent-status').textContent(), { timeout: 30_000 }).toContain('import your receipt key backup to open receipts here');
    expect(await other.page.getByText(errand).count()).toBe(0);
    expect(await other.page.getByText(/read by/).count()).toBe(0);
    // The backup file opens them there; its output is not used to wrap them.
    await other.page.getByRole('link', { name: 'Open them' }).click();
    await other.page.getByLabel('Import a backup').setInputFiles({ name: 'sigill-receipt-key.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
    await expect.poll(() => other.page.locator('#keys-status').textContent()).toBe('The backup is imported.');
    await other.page.getByRole('link', { name: 'Sent', exact: true }).click();
    await expect.poll(() => other.page.locator(`[data-message-id="${messageId}"] .message-errand`).textContent(), { timeout: 30_000 }).toBe(errand);
    await other.context.close();

    // The copy that opens was not replaced by one under the other output: a synced profile still opens it.
    const again = await profile('#/sent');
    await again.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => again.page.locator(`[data-message-id="${messageId}"] .message-errand`).textContent(), { timeout: 30_000 }).toBe(errand);
    expect(again.errors).toEqual([]);
    await again.context.close();
  });
});
