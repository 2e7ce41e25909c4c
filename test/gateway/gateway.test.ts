/**
 * Issue 16: the mail gateway, as a sender's MTA meets it. A real server process (BankID
 * simulator, 46elks through its fake, email through a real STARTTLS SMTP server) with
 * SIGILL_GATEWAY=on; the gateway (smtp-server) in this process with a fake DNS resolver
 * for mailauth; mail composed, DKIM-signed and sent with nodemailer over STARTTLS.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../shared/base64url.js';
import { openLibsqlStore } from '../../server/store/libsql/index.js';
import { generateReceiptKeyPair } from '../../shared/receipts.js';
import { openLinkText, startReading, waitForVerification } from '../../client/read.js';
import { recipientApi } from '../../client/recipient-api.js';
import { createGateway, type Gateway } from '../../gateway/smtp.js';
import { gatewayProcessSettings } from '../../gateway/settings.js';
import { openAsRecipient, readInRecipientPage } from '../extension/recipient.js';
import { startServerProcess, repositoryRoot, type ServerProcess } from '../recipient/server-process.js';
import { anna, per } from '../recipient/messages.js';
import { makeTestCa, startSmtpPeer, type SmtpPeer } from '../server/email/smtp-peer.js';
import { CookieJar } from '../server/cookie-jar.js';
import { start46elksFake, type ElksFake } from '../support/fakes/46elks.js';
import { composeMail, fakeResolver, sendingDomain, sendToGateway, type OutgoingMail } from './mail-peer.js';

const smsDomain = 'sms.gw.test';
const mailDomain = 'mail.gw.test';
const key = encodeBase64url(randomBytes(32));
const org = sendingDomain('bostad.test');
const stranger = sendingDomain('other.test');
const sender = 'handlaggare@bostad.test';
const readers = {
  anna: { personalNumber: anna, givenName: 'Test', surname: 'Testsson' },
  per: { personalNumber: per, givenName: 'Per', surname: 'Holm' },
  third: { personalNumber: '198112189876', givenName: 'Tredje', surname: 'Person' },
};
const mobile = '0701234567';
const emailRecipient = 'bo.ek@example.se';
const errand = 'Ditt nya hyresavtal';
const body = 'Hej Bo, här kommer avtalet att läsa igenom före måndag.';

let dataDir: string;
let server: ServerProcess;
let peer: SmtpPeer;
let elks: ElksFake;
let gateway: Gateway;
let gatewayPort: number;
const gatewayLog: string[] = [];
let browser: Browser;

const admin = (args: string[]) =>
  spawnSync(join(repositoryRoot, 'node_modules/.bin/tsx'), ['scripts/admin.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, SIGILL_DATA_DIR: dataDir, SIGILL_GATEWAY: 'on', SIGILL_GATEWAY_KEY: key },
    encoding: 'utf8',
  });

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: `Karin Handläggare <${sender}>`,
    to: [`${mobile}&login=${anna}&login=${per}@${smsDomain}`, `bo.ek=example.se&login=*@${mailDomain}`, 'kollega@bostad.test'],
    subject: errand,
    text: body,
    html: `<p>Hej Bo, <b>här</b> kommer avtalet.</p><script>alert(1)</script><img src="https://tracker.test/x.png">`,
    messageId: `<${randomBytes(8).toString('hex')}@bostad.test>`,
    attachments: [{ filename: 'avtal.pdf', content: Buffer.from('%PDF-1.4 avtal'), contentType: 'application/pdf' }],
    ...overrides,
  };
}
const gatewayRecipients = (m: OutgoingMail) => m.to.filter((address) => address.endsWith(smsDomain) || address.endsWith(mailDomain));
const send = async (m: OutgoingMail, signer = org, envelopeFrom = sender) => sendToGateway(gatewayPort, { from: envelopeFrom, to: gatewayRecipients(m) }, await composeMail(m, signer));
const refusal = (promise: Promise<unknown>) => promise.then(() => ({ responseCode: 250, response: '' }), (error: { responseCode: number; response: string }) => error);
const messageCount = async () => (await server.sender.messages({ limit: 100 })).messages.length;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sigill-gateway-'));
  const ca = makeTestCa();
  peer = await startSmtpPeer(ca);
  elks = await start46elksFake('gwuser', 'gwpass');
  server = await startServerProcess({
    SIGILL_DATA_DIR: dataDir,
    SIGILL_LOG_LEVEL: 'info',
    SIGILL_GATEWAY: 'on',
    SIGILL_GATEWAY_KEY: key,
    SIGILL_SMS_PROVIDER: '46elks',
    SIGILL_SMS_API_URL: elks.url,
    SIGILL_46ELKS_USERNAME: 'gwuser',
    SIGILL_46ELKS_PASSWORD: 'gwpass',
    SIGILL_SMS_FROM: 'Bostad',
    SIGILL_SMTP_URL: `smtp://localhost:${peer.port}`,
    SIGILL_SMTP_CA: ca.caFile,
    SIGILL_MAIL_FROM: 'no-reply@sigill.test',
  });
  const { receiptKey } = await generateReceiptKeyPair();
  const me = await server.sender.me();
  const allowed = admin(['gateway-allow', '--sender', me.id, '--from', sender, '--receipt-key', encodeBase64url(receiptKey)]);
  expect(allowed.status, allowed.stderr).toBe(0);
  const settings = gatewayProcessSettings({
    SIGILL_GATEWAY_KEY: key,
    SIGILL_GATEWAY_PORT: '0',
    SIGILL_GATEWAY_SMS_DOMAIN: smsDomain,
    SIGILL_GATEWAY_MAIL_DOMAIN: mailDomain,
    SIGILL_GATEWAY_SERVER: server.origin,
    SIGILL_GATEWAY_MAX_BYTES: String(2 * 1024 * 1024),
  });
  gateway = createGateway(settings, { resolver: fakeResolver(org, stranger), log: (line) => gatewayLog.push(JSON.stringify(line)) });
  gatewayPort = await gateway.listen();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await server?.close();
  await peer?.close();
  await elks?.close();
}, 60_000);

describe('the mail gateway', { timeout: 180_000 }, () => {
  const first = mail();

  it('turns a DKIM-signed mail into one message: the SMS reaches 46elks, the email the SMTP server, and the sender gets a confirmation', async () => {
    const answer = await send(first);
    expect(answer.response).toMatch(/^250 /);
    expect(elks.sent).toHaveLength(1);
    expect(elks.sent[0]!.to).toBe('+46701234567');
    expect(elks.sent[0]!.message).toContain(errand);
    const toBo = peer.received.filter((m) => m.envelope.rcptTo.some((r) => r.address === emailRecipient));
    expect(toBo).toHaveLength(1);
    expect(toBo[0]!.parsed.subject).toContain(errand);
    const confirmation = peer.received.find((m) => m.envelope.rcptTo.some((r) => r.address === sender));
    expect(confirmation?.parsed.subject).toBe(`Skickat säkert: ${errand}`);
    expect(confirmation?.parsed.text).toContain('+46701234567');
    expect(confirmation?.parsed.text).toContain(`${anna}, ${per}`);
    expect(confirmation?.parsed.text).toContain(emailRecipient);
    expect(confirmation?.parsed.text).not.toMatch(/\/o\/[\w-]{22}#/); // no links unless asked for
    expect(await messageCount()).toBe(1);
  });

  it('the SMS link opens in the recipient page for both named identities, with the text and the attachment; a third identity is denied', async () => {
    const link = /https?:\/\/\S+\/o\/[\w-]{22}#[\w-]+/.exec(elks.sent[0]!.message)![0];
    for (const reader of [readers.anna, readers.per]) {
      const context = await browser.newContext();
      expect(await readInRecipientPage(context, link, reader, server.testAppUrl)).toContain('här kommer avtalet');
      await context.close();
    }
    const opened = await openAsRecipient(link, readers.anna, server.testAppUrl);
    expect(opened.content.attachments.map((a) => a.name)).toEqual(['avtal.pdf']);
    expect(opened.content.html).toContain('<b>här</b>');
    expect(opened.content.html).not.toContain('script');
    expect(opened.content.html).not.toContain('tracker.test');
    const jar = new CookieJar();
    const api = recipientApi({ baseUrl: new URL(link).origin, fetch: (url, init) => jar.fetch(url, init) });
    const started = await startReading(api, await openLinkText(api, link));
    const { orderRef } = await server.control('/control/open', { autoStartToken: started.autoStartToken, identity: readers.third });
    await server.control(`/control/orders/${orderRef}/approve`, { identity: readers.third });
    expect((await waitForVerification(api, started.verificationId, { timeoutMs: 15_000 })).status).toBe('denied');
  });

  it('the email link (login=*) opens for anyone who identifies, and the status shows the reads and the denied attempt', async () => {
    const toBo = peer.received.find((m) => m.envelope.rcptTo.some((r) => r.address === emailRecipient))!;
    const link = /https?:\/\/\S+\/o\/[\w-]{22}#[\w-]+/.exec(toBo.parsed.text ?? '')![0];
    const context = await browser.newContext();
    expect(await readInRecipientPage(context, link, readers.third, server.testAppUrl)).toContain('här kommer avtalet');
    await context.close();
    const [message] = (await server.sender.messages({ limit: 1 })).messages;
    const status = await server.sender.message(message!.messageId);
    expect(status.links).toHaveLength(2);
    expect(status.links.every((l) => l.readAt !== null)).toBe(true);
    expect(status.links.map((l) => l.deniedAttempts)).toEqual([1, 0]);
    expect(status.links.every((l) => l.label !== null)).toBe(true); // sealed to the sender's receipt key
  });

  it('the same Message-ID again (an MTA retry) is answered 250 and makes no second message or SMS', async () => {
    const answer = await send(first);
    expect(answer.response).toMatch(/^250 .*delivered before/);
    expect(elks.sent).toHaveLength(1);
    expect(await messageCount()).toBe(1);
  });

  it('a provider that is down gives 451; the MTA’s retry sends only to the recipients still left, once each', async () => {
    const second = mail({ subject: 'Kallelse till visning' });
    const mailsTo = (address: string) => peer.received.filter((m) => m.envelope.rcptTo.some((r) => r.address === address) && m.parsed.subject?.includes('Kallelse')).length;
    elks.fail('500', 3); // every attempt the server makes (server/delivery/relay.ts smsAttempts)
    const refused = await refusal(send(second));
    expect(refused.responseCode).toBe(451);
    expect(mailsTo(emailRecipient)).toBe(1); // the email went out on the first attempt
    const sms = elks.sent.length;
    const retried = await send(second);
    expect(retried.response).toMatch(/^250 /);
    expect(elks.sent.length).toBe(sms + 1);
    expect(mailsTo(emailRecipient)).toBe(1); // not again
    const confirmation = peer.received.filter((m) => m.envelope.rcptTo.some((r) => r.address === sender)).at(-1)!;
    expect(confirmation.parsed.subject).toBe('Skickat säkert: Kallelse till visning');
    expect(confirmation.parsed.text).toContain('skickat vid ett tidigare försök');
  });

  it('an address allowed as a toolbox user sends as that user: the message is theirs, sealed to their receipt key', async () => {
    const me = await server.sender.me();
    const added = admin(['add-user', '--sender', me.id, '--personal-number', per, '--name', 'Per Holm', '--role', 'member']);
    expect(added.status, added.stderr).toBe(0);
    const userId = /\(([\w-]+), member\)/.exec(added.stdout)![1]!;
    const { receiptKey } = await generateReceiptKeyPair();
    const store = openLibsqlStore(dataDir);
    try {
      await store.accounts.setReceiptKey(userId, { publicKey: encodeBase64url(receiptKey), wrapped: [] }, Date.now());
    } finally {
      await store.close();
    }
    const allowed = admin(['gateway-allow', '--user', userId, '--from', 'per.holm@bostad.test']);
    expect(allowed.status, allowed.stderr).toBe(0);
    const answer = await send(mail({ from: 'Per Holm <per.holm@bostad.test>', to: [`${mobile}&login=${anna}@${smsDomain}`], subject: 'Från Per' }), org, 'per.holm@bostad.test');
    expect(answer.response).toMatch(/^250 /);
    const check = openLibsqlStore(dataDir);
    try {
      const row = check.db.prepare('SELECT user_id AS userId, receipt_key AS receiptKey FROM messages ORDER BY created_at DESC LIMIT 1').get() as { userId: string; receiptKey: string };
      expect({ userId: row.userId, receiptKey: row.receiptKey }).toEqual({ userId, receiptKey: encodeBase64url(receiptKey) });
    } finally {
      await check.close();
    }
  });

  it('refuses at SMTP time, storing nothing: an unknown sender, a DMARC failure, a tampered body, bad recipients and an oversize mail', async () => {
    const before = { messages: await messageCount(), sms: elks.sent.length, mails: peer.received.length };
    const unknown = await refusal(send(mail({ from: 'someone@other.test' }), stranger, 'someone@other.test'));
    expect(unknown.responseCode).toBe(550);
    expect(unknown.response).toContain('may not send through the Sigill gateway');
    const unsigned = await refusal(sendToGateway(gatewayPort, { from: sender, to: gatewayRecipients(mail()) }, await composeMail(mail())));
    expect(unsigned.responseCode).toBe(550);
    expect(unsigned.response).toContain('DMARC');
    const signed = await composeMail(mail({ text: 'Betala 100 kr.' }), org);
    const tampered = Buffer.from(signed.toString('utf8').replace('Betala 100 kr.', 'Betala 900 kr.'));
    const forged = await refusal(sendToGateway(gatewayPort, { from: sender, to: gatewayRecipients(mail()) }, tampered));
    expect(forged.responseCode).toBe(550);
    expect(forged.response).toContain('DMARC');
    for (const bad of [`${mobile}&login=199908072392@${smsDomain}`, `081234567&login=*@${smsDomain}`, `${mobile}&logn=${anna}@${smsDomain}`]) {
      const refused = await refusal(send(mail({ to: [bad] })));
      expect(refused.responseCode, bad).toBe(550);
    }
    const huge = await refusal(send(mail({ attachments: [{ filename: 'stor.bin', content: randomBytes(3 * 1024 * 1024), contentType: 'application/octet-stream' }] })));
    expect(huge.responseCode).toBe(552);
    expect({ messages: await messageCount(), sms: elks.sent.length, mails: peer.received.length }).toEqual(before);
  });

  it('leaves no plaintext, subject, address or identity number in the database, its WAL, the blobs or the logs', () => {
    const logFile = join(dataDir, 'test-logs.txt');
    // The start-up banner's newcomer hints name the simulator's test identities; the log lines are JSON.
    const logLines = `${server.output()}\n${gatewayLog.join('\n')}`.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    writeFileSync(logFile, logLines.join('\n'));
    const needles = [mobile, '701234567', emailRecipient, sender, anna, per, errand, 'här kommer avtalet', 'avtal.pdf', 'Karin'];
    const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
    for (const file of files(dataDir)) {
      const bytes = readFileSync(file);
      for (const needle of needles) expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
    }
    const audit = spawnSync(join(repositoryRoot, 'node_modules/.bin/tsx'), ['scripts/audit.ts', '--data', dataDir, '--logs', logFile], { cwd: repositoryRoot, encoding: 'utf8' });
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  });
});
