/**
 * Issue 14, acceptance 3, and compose: the Recipients field checks every entry as it is
 * typed (a wrong Luhn digit, an unknown parameter, a duplicate and a landline each on
 * their entry with the reason), Send is refused until they are fixed; then a message to
 * an SMS and an email recipient with login= lists, formatting and an attachment is sealed
 * in the browser and delivered: the SMS reaches the SMS fake and the email the SMTP server;
 * a refused email shows its link to copy and is sent again from the message's detail.
 * "Attachments … up to the server's limit": the server runs with a 64 KiB limit
 * (SIGILL_MAX_MESSAGE_BYTES), which the page shows and enforces on each file's entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeProblems } from '../../toolbox/compose/attachments.js';
import { signedInToolbox, startToolboxWorld, type SenderBrowser, type ToolboxWorld } from './harness.js';

let world: ToolboxWorld;
let sender: SenderBrowser;
const limit = 64 * 1024;

beforeAll(async () => {
  world = await startToolboxWorld({ SIGILL_MAX_MESSAGE_BYTES: String(limit) });
  sender = await signedInToolbox(world);
}, 240_000);

afterAll(async () => {
  await world?.close();
}, 60_000);

const valid = '0701234567&login=199908072391&login=196802020575';

describe('compose', { timeout: 120_000 }, () => {
  it('shows each bad entry with its reason, counts the good ones, and refuses Send until they are fixed', async () => {
    const { page } = sender;
    const recipients = page.getByLabel('Recipients', { exact: true });
    await recipients.fill(
      [
        valid,
        '0701234568&login=199908072392', // wrong Luhn digit
        'anna@example.se?login=*&cc=boss@example.se', // unknown parameter
        '070-123 45 67&login=*', // duplicate of the first
        '08-123 456 78&login=*', // landline
        'bo@example.se?login=19800101*',
      ].join('\n'),
    );
    const entry = (n: number) => page.locator(`#recipients-entries [data-entry="${n}"]`);
    await expect.poll(() => entry(2).getAttribute('data-code')).toBe('login_invalid');
    expect(await entry(2).textContent()).toBe('Entry 2 (0701234568&login=199908072392): login=: the check digit does not match; a digit may be mistyped');
    expect(await entry(3).getAttribute('data-code')).toBe('parameter_unknown');
    expect(await entry(3).textContent()).toContain('Entry 3 (anna@example.se?login=*&cc=boss@example.se)');
    expect(await entry(4).getAttribute('data-code')).toBe('address_duplicate');
    expect(await entry(5).getAttribute('data-code')).toBe('phone_not_mobile');
    expect(await entry(5).textContent()).toContain('landline');
    expect(await entry(1).textContent()).toBe('SMS to +46701234567, readable by 19990807-2391, 19680202-0575');
    expect(await entry(6).textContent()).toBe('Email to bo@example.se, readable by anyone born 19800101…');
    expect(await page.locator('#recipients-summary').textContent()).toBe('1 SMS and 1 email will go out. 4 entries need fixing.');
    expect(await recipients.getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Errand', { exact: true }).fill('Ditt hyresavtal');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const problems = page.locator('#send-problems');
    await expect.poll(() => problems.textContent()).toContain('Fix what is marked before sending.');
    expect(await problems.locator('li').count()).toBe(4);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('recipients');
    expect(world.sms.sent).toHaveLength(0);
    const { messages } = await world.server.sender.messages();
    expect(messages).toHaveLength(0);

    await recipients.fill(`${valid}\nbo@example.se?login=19800101*`);
    await expect.poll(() => page.locator('#recipients-summary').textContent()).toBe('1 SMS and 1 email will go out.');
    expect(await recipients.getAttribute('aria-invalid')).toBe('false');
  });

  it('refuses Send without an errand', async () => {
    const { page } = sender;
    await page.getByLabel('Errand', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.locator('#send-problems').textContent()).toContain('Write an errand');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('errand');
  });

  it('shows the server’s limit and refuses a file over it, alone or with the others, on its entry until it is removed, before any upload', async () => {
    const { page } = sender;
    expect(await page.locator('#attachments-limit').textContent()).toBe('Up to 64 KiB in all.');
    await page.getByLabel('Errand', { exact: true }).fill('Stora filer');
    const picker = page.getByLabel('Attachments', { exact: true });
    // 70,000 bytes seal to more than 64 KiB on their own; 40,000 fit, but two of them do not.
    await picker.setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(70_000) });
    await picker.setInputFiles([
      { name: 'a.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(40_000) },
      { name: 'b.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(40_000) },
    ]);
    const file = (name: string) => page.locator('.file', { has: page.locator('.file-name', { hasText: name }) });
    await expect.poll(() => page.locator('.file').count()).toBe(3);
    expect(await file('big.bin').getAttribute('data-problem')).toBe('file_too_large');
    expect(await file('big.bin').locator('.file-problem').textContent()).toBe('over the 64 KiB limit on its own; remove it');
    expect(await file('a.bin').getAttribute('data-problem')).toBeNull();
    expect(await file('b.bin').getAttribute('data-problem')).toBe('files_too_large');

    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const problems = page.locator('#send-problems li');
    await expect.poll(() => problems.allTextContents()).toEqual([
      'big.bin: over the 64 KiB limit on its own; remove it',
      'b.bin: takes the attachments over 64 KiB together; remove it or another one',
    ]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove big.bin');
    expect((await world.server.sender.messages()).messages).toHaveLength(0);
    expect(world.sms.sent).toHaveLength(0);

    // Removing the big one by keyboard leaves a.bin and b.bin, still too much together.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.file').count()).toBe(2);
    expect(await file('b.bin').getAttribute('data-problem')).toBe('files_too_large');
    await page.getByRole('button', { name: 'Remove a.bin' }).click();
    await expect.poll(() => file('b.bin').getAttribute('data-problem')).toBeNull();

    // b.bin fits alone, but not with a long text: the content document counts too (payload 0).
    const message = page.getByRole('textbox', { name: 'Message', exact: true });
    await message.fill('x'.repeat(30_000));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => problems.allTextContents()).toEqual(['The message and its attachments together are over 64 KiB: shorten the text or remove an attachment.']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
    expect((await world.server.sender.messages()).messages).toHaveLength(0);
    await message.fill('');
    await page.getByRole('button', { name: 'Remove b.bin' }).click();
    await expect.poll(() => page.locator('.file').count()).toBe(0);
  });

  it('counts the limit as the server does: ciphertext, each file and the files together', () => {
    // 65,520 bytes seal to exactly 65,536 (one 16-byte tag); one byte more needs a second segment's tag.
    expect(sizeProblems([65_520], limit)).toEqual([null]);
    expect(sizeProblems([65_521], limit)).toEqual(['file_too_large']);
    expect(sizeProblems([30_000, 70_000, 30_000, 10_000], limit)).toEqual([null, 'file_too_large', null, 'files_too_large']);
  });

  it('seals and sends to an SMS and an email recipient with formatting and an attachment: the SMS reaches the fake, the email the SMTP server', async () => {
    const { page } = sender;
    await page.getByLabel('Errand', { exact: true }).fill('Ditt hyresavtal');
    const message = page.getByRole('textbox', { name: 'Message', exact: true });
    await message.click();
    await page.keyboard.type('Hej! Här är ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('avtalet');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('.');
    await page.getByLabel('Attachments', { exact: true }).setInputFiles({ name: 'avtal.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 avtal') });
    await expect.poll(() => page.locator('.file-name').textContent()).toBe('avtal.pdf');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    await page.locator('[data-state="sent"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.result').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-delivery')))).toEqual(['sms_sent', 'email_sent']);
    expect(world.sms.sent).toHaveLength(1);
    expect(world.sms.sent[0]!.to).toBe('+46701234567');
    expect(world.sms.sent[0]!.message).toMatch(/^Ditt hyresavtal\n.*\nhttp:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}$/);
    expect(world.smtp.received).toHaveLength(1);
    expect(world.smtp.received[0]!.envelope.rcptTo.map((rcpt) => rcpt.address)).toEqual(['bo@example.se']);
    const { messages } = await world.server.sender.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.payloads).toHaveLength(2);
    expect(messages[0]!.senderCopy).not.toBeNull();
    expect(messages[0]!.links.every((link) => link.label !== null)).toBe(true);
    expect(sender.errors).toEqual([]);
  });

  it('shows a refused email with its link to copy, and sends it again from the message’s detail once the address takes mail', async () => {
    const { page } = sender;
    world.smtp.refuse.add('nobody@example.se');
    await page.getByRole('button', { name: 'Write another message' }).click();
    await page.getByLabel('Recipients', { exact: true }).fill('nobody@example.se?login=*');
    await page.getByLabel('Errand', { exact: true }).fill('Kallelse');
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Välkommen.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('[data-state="sent"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.result').getAttribute('data-delivery')).toBe('email_failed');
    expect(await page.locator('.result-state').textContent()).toBe('Not delivered: provider_rejected');
    const link = await page.getByLabel('Link for nobody@example.se').inputValue();
    expect(link).toMatch(/^http:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}$/);

    world.smtp.refuse.delete('nobody@example.se');
    const before = world.smtp.received.length;
    await page.getByRole('button', { name: 'Follow it in Sent' }).click();
    await page.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => page.locator('#detail-status').textContent()).toBe('Sent again.');
    expect(world.smtp.received).toHaveLength(before + 1);
    expect(world.smtp.received.at(-1)!.envelope.rcptTo.map((rcpt) => rcpt.address)).toEqual(['nobody@example.se']);
    expect(world.smtp.received.at(-1)!.parsed.text).toContain(link);
    await expect.poll(() => page.locator('.recipient-status').textContent()).toMatch(/^Email sent/);
    expect(await page.getByRole('button', { name: 'Send again' }).count()).toBe(0);
  });
});
