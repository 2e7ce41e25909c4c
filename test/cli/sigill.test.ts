/**
 * Issue 10, acceptance 3: the `sigill` CLI as the README types it (`npm run -s sigill --
 * …`), against a real server process with the BankID simulator, the token read from
 * the server's start-up output. A text and an attachment go to an SMS recipient and an
 * email recipient, each with login= lists; both are opened in the recipient page in
 * Chromium as the named identities (and one by an identity it is not for); `sigill
 * status` shows the labels, "read by <name>" with the time, and the denied attempt; a
 * second device with the imported key backup shows the same; `sigill revoke` makes the
 * links answer 410.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RecipientBrowser } from '../recipient/browser.js';
import { per, randomFile, sha256 } from '../recipient/messages.js';
import { repositoryRoot, type ServerProcess } from '../recipient/server-process.js';
import { newDevice, sigill } from './cli-process.js';
import { emailLink, identifyAs, openAs, smsLink, startCliServer } from './recipients.js';

const testTestsson = '199908072391';
const phone = '+46701234567';
const email = 'anna@example.se';

let server: ServerProcess;
let browser: Browser;
const opened: RecipientBrowser[] = [];
const laptop = newDevice();
const phoneDevice = newDevice();
// A folder inside the clone, where the files are typed by their names (npm run starts in the project's root).
mkdirSync(join(repositoryRoot, 'test-results'), { recursive: true });
const work = mkdtempSync(join(repositoryRoot, 'test-results', 'cli-'));
const attachment = randomFile(3 * 1024 * 1024 + 17);
let sent: { messageId: string; recipients: { channel: string; to: string[]; readers: string[] | '*'; linkId: string; delivery: string; link: string; text: string }[] };

beforeAll(async () => {
  // The recipient page is built once per run by vitest's globalSetup (test/support/recipient-build.ts).
  [server, browser] = await Promise.all([startCliServer(), launchChromium()]);
  writeFileSync(join(work, 'msg.txt'), 'Hej! Avtalet ligger som bilaga.\nRing oss om något är oklart.\n');
  writeFileSync(join(work, 'hyresavtal.pdf'), attachment);
}, 240_000);

afterAll(async () => {
  await Promise.all(opened.map((recipient) => recipient.close()));
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

/** Every file under a folder, as text, to look for what must never be written. */
function allFiles(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'))
    .join('\n');
}

describe('sigill, as the README types it', { timeout: 180_000 }, () => {
  it('signs in with the token from the server’s start-up output, read from standard input, and keeps it readable only by its owner', async () => {
    const run = await sigill(['login', '--server', server.origin], { configDir: laptop, stdin: `${server.token}\n` });
    expect(run.stderr).not.toContain(server.token);
    expect(run.stdout).not.toContain(server.token);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Signed in to ${server.origin} as Sigill demo.`);
    expect(statSync(laptop).mode & 0o777).toBe(0o700);
    expect(statSync(join(laptop, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('sends a text and an attachment to an SMS and an email recipient with login= lists: the SMS and the email through the server', async () => {
    const run = await sigill(
      [
        'send',
        '--to', `070-123 45 67&login=${testTestsson}, ${email}?login=${per}&login=19990807*`,
        '--errand', 'Ditt hyresavtal',
        '--text-file', 'msg.txt',
        '--attach', 'hyresavtal.pdf',
        '--expires', '7d',
        '--read-limit', '3',
        '--lang', 'en',
        '--json',
      ],
      { configDir: laptop, cwd: work },
    );
    expect(run.stderr).toMatch(/Uploading 3\.0 MiB \/ 3\.0 MiB \(100%\)/); // not a terminal: plain progress lines
    expect(run.code).toBe(0);
    sent = JSON.parse(run.stdout);
    expect(sent.recipients.map(({ channel, to, readers, delivery }) => ({ channel, to, readers, delivery }))).toEqual([
      { channel: 'sms', to: [phone], readers: [`se-pnr:${testTestsson}`], delivery: 'sms_sent' },
      { channel: 'email', to: [email], readers: [`se-pnr:${per}`, 'se-pnr:19990807*'], delivery: 'email_sent' },
    ]);
    const [sms, mail] = sent.recipients as [(typeof sent.recipients)[0], (typeof sent.recipients)[0]];
    expect(await smsLink(server, phone)).toBe(sms.link);
    expect(await emailLink(server, email)).toBe(mail.link);
    expect(sms.text).toContain('The message is protected'); // --lang en
    expect(mail.text).toBe(`Ditt hyresavtal\n\nThe message is protected: open the link and identify yourself with BankID to read it.\n${mail.link}`);
    expect(new Set([new URL(sms.link).origin, new URL(mail.link).origin]).size).toBe(1);
    // The links are the secrets: never on disk.
    const written = allFiles(laptop);
    for (const link of [sms.link, mail.link]) expect(written).not.toContain(link.split('#')[1]);
    expect(statSync(join(laptop, 'receipt-keys.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(laptop, 'sent.json')).mode & 0o777).toBe(0o600);
  });

  it('opens both as their named recipients in the recipient page in Chromium: the text, and the attachment byte for byte; another identity is denied', async () => {
    const [sms, mail] = sent.recipients as [(typeof sent.recipients)[0], (typeof sent.recipients)[0]];
    const stranger = await identifyAs(server, browser, sms.link, per); // the SMS link is for Test Testsson only
    opened.push(stranger);
    await stranger.page.locator('[data-state="denied"]').waitFor();
    const bySms = await openAs(server, browser, sms.link, testTestsson);
    const byEmail = await openAs(server, browser, mail.link, per);
    opened.push(bySms, byEmail);
    for (const recipient of [bySms, byEmail]) {
      const { page } = recipient;
      expect(await page.locator('.message-text').textContent()).toBe('Hej! Avtalet ligger som bilaga.\nRing oss om något är oklart.\n');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner hyresavtal.pdf' }).click()]);
      expect(sha256(readFileSync((await download.path())!))).toBe(sha256(attachment));
    }
  });

  it('sigill status shows each recipient’s label and "read by <name>" with the time', async () => {
    const before = Date.now();
    const run = await sigill(['status', sent.messageId], { configDir: laptop });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${sent.messageId}  ready  created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`));
    expect(lines[1]).toBe('  Ditt hyresavtal');
    expect(lines[2]).toBe('  attachments: hyresavtal.pdf');
    const smsRow = lines.find((line) => line.includes(`SMS ${phone}`));
    const emailRow = lines.find((line) => line.includes(`email ${email}`));
    expect(smsRow).toMatch(new RegExp(`SMS \\${phone}\\s+${testTestsson}\\s+\\d{4}-.+read by Test Testsson (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC\\s+1$`)); // Per Holm's denied attempt
    expect(emailRow).toMatch(new RegExp(`email ${email}\\s+${per} 19990807\\*\\s+\\d{4}-.+read by Per Holm (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC\\s+0$`));
    // Each delivery the server relayed, with its masked address and state.
    expect(lines.slice(lines.indexOf('  Deliveries:') + 1).map((line) => line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'TIME'))).toEqual([
      '    SMS +46…67           sent  TIME',
      '    email a…@example.se  sent  TIME',
      '',
    ]);
    // The printed times are the receipts' times.
    const json = JSON.parse((await sigill(['status', sent.messageId, '--json'], { configDir: laptop })).stdout) as { links: { reads: { name: string; at: string }[] }[] };
    const readAt = json.links.map((link) => link.reads[0]!.at);
    for (const at of readAt) expect(Date.parse(at)).toBeLessThanOrEqual(before);
    expect(smsRow).toContain(`read by Test Testsson ${readAt[0]!.slice(0, 10)} ${readAt[0]!.slice(11, 19)} UTC`);
    expect(emailRow).toContain(`read by Per Holm ${readAt[1]!.slice(0, 10)} ${readAt[1]!.slice(11, 19)} UTC`);

    const all = await sigill(['status'], { configDir: laptop });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(sent.messageId);
    expect(all.stdout).toContain('read by Per Holm');
  });

  it('a second device with the imported key backup shows the same labels and names; without it, neither', async () => {
    const backup = join(work, 'sigill-keys.json');
    const exported = await sigill(['keys', 'export', 'sigill-keys.json'], { configDir: laptop, cwd: work });
    expect(exported.code).toBe(0);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect((await sigill(['keys', 'export', 'sigill-keys.json'], { configDir: laptop, cwd: work })).code).toBe(1); // never replaces a backup silently

    expect((await sigill(['login', '--server', server.origin], { configDir: phoneDevice, stdin: server.token })).code).toBe(0);
    const without = await sigill(['status', sent.messageId], { configDir: phoneDevice });
    expect(without.code).toBe(0);
    expect(without.stdout).not.toContain(phone);
    expect(without.stdout).not.toContain('Per Holm');
    expect(without.stdout).toContain('(unknown: sent with receipt keys this device lacks)');

    const imported = await sigill(['keys', 'import', backup], { configDir: phoneDevice });
    expect(imported.code).toBe(0);
    const withKeys = await sigill(['status', sent.messageId], { configDir: phoneDevice });
    const onLaptop = await sigill(['status', sent.messageId], { configDir: laptop });
    expect(withKeys.stdout).toBe(onLaptop.stdout);
    expect(withKeys.stdout).toContain(`SMS ${phone}`);
    expect(withKeys.stdout).toContain(`email ${email}`);
    expect(withKeys.stdout).toContain('read by Test Testsson');
    expect(withKeys.stdout).toContain('Ditt hyresavtal');
    expect(readdirSync(phoneDevice)).not.toContain('sent.json'); // all of it came from the server, sealed
  });

  it('sigill revoke makes the links answer 410 link_revoked', async () => {
    const run = await sigill(['revoke', sent.messageId], { configDir: laptop });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Message ${sent.messageId} revoked`);
    for (const recipient of sent.recipients) {
      const response = await fetch(`${server.origin}/api/v1/links/${recipient.linkId}`);
      expect(response.status).toBe(410);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('link_revoked');
    }
    expect((await sigill(['status', sent.messageId], { configDir: laptop })).stdout).toMatch(new RegExp(`^${sent.messageId}  revoked`));
  });
});
