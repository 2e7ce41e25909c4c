/**
 * Issue 13, acceptance 5: `sigill send` to email recipients against a server process with
 * SIGILL_SMTP_URL set to a real STARTTLS SMTP server in the test process: the server
 * emails each recipient its own link, the CLI says so per recipient, and `sigill status`
 * shows each delivery with its masked address and state, a refused one failed with its
 * code and the command that resends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../recipient/server-process.js';
import { startServerProcess } from '../recipient/server-process.js';
import { makeTestCa, startSmtpPeer, type SmtpPeer } from '../server/email/smtp-peer.js';
import { newDevice, sigill } from './cli-process.js';

let server: ServerProcess;
let peer: SmtpPeer;
const device = newDevice();

beforeAll(async () => {
  const ca = makeTestCa();
  peer = await startSmtpPeer(ca);
  peer.refuse.add('nobody@example.se');
  server = await startServerProcess({ SIGILL_WORKERS: '1', SIGILL_SMTP_URL: `smtp://localhost:${peer.port}`, SIGILL_SMTP_CA: ca.caFile, SIGILL_MAIL_FROM: 'no-reply@sigill.test' });
  expect((await sigill(['login', '--server', server.origin], { configDir: device, stdin: server.token })).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await peer?.close();
}, 60_000);

describe('sigill send with a server that has SMTP', { timeout: 180_000 }, () => {
  let messageId: string;
  it('the server emails each recipient its own link; the CLI prints email sent, or failed with the code and the text to pass on', async () => {
    const run = await sigill(['send', '--to', 'anna@example.se?login=*, nobody@example.se?login=*', '--errand', 'Kallelse', '--text', '-', '--lang', 'en'], {
      configDir: device,
      stdin: 'Välkommen på tisdag.\n',
    });
    expect(run.code).toBe(1); // one recipient did not get it
    const lines = run.stdout.split('\n');
    messageId = /^Message ([\w-]{22}) sent/.exec(lines[0]!)![1]!;
    expect(lines.slice(2, 5)).toEqual([
      '  RECIPIENT                MAY READ            WHAT HAPPENED',
      '  email anna@example.se    anyone with BankID  email sent',
      '  email nobody@example.se  anyone with BankID  email failed (provider_rejected); pass the link on another way',
    ]);
    expect(lines[6]).toBe('Email to nobody@example.se could not be sent — pass this text on:');
    expect(peer.received).toHaveLength(1);
    const { parsed, secure, envelope } = peer.received[0]!;
    expect(secure).toBe(true);
    expect(envelope.rcptTo.map((rcpt) => rcpt.address)).toEqual(['anna@example.se']);
    const link = /http:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}/.exec(parsed.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(run.stdout).not.toContain(link!); // anna's link went by email only
    expect(parsed.text).toContain('The message is protected');
  });

  it('sigill status shows each delivery: channel, masked address, state, and for the failed one the code and how to resend it', async () => {
    const run = await sigill(['status', messageId], { configDir: device });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const deliveries = lines.slice(lines.indexOf('  Deliveries:') + 1).map((line) => line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'TIME'));
    expect(deliveries).toEqual([
      '    email a…@example.se  sent                             TIME',
      `    email n…@example.se  failed (provider_rejected, 550)  TIME  not delivered: resend it with sigill resend ${messageId} nobody@example.se`,
      '',
    ]);
    // The full address shows only in the recipient table (and the resend command), from the label sealed to this sender.
    expect(lines.filter((line) => line.includes('anna@example.se'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('nobody@example.se'))).toHaveLength(2);
  });
});

describe('sigill send with a server that sends no email', { timeout: 180_000 }, () => {
  let plain: ServerProcess;
  const other = newDevice();
  beforeAll(async () => {
    // Two workers: no development outbox, and no SIGILL_SMTP_URL, so the server answers 501 email_not_configured.
    plain = await startServerProcess({ SIGILL_WORKERS: '2' });
    expect((await sigill(['login', '--server', plain.origin], { configDir: other, stdin: plain.token })).code).toBe(0);
  }, 180_000);
  afterAll(async () => plain?.close(), 60_000);

  it('says plainly that the server sends no email and prints the text with the link to pass on', async () => {
    const run = await sigill(['send', '--to', 'anna@example.se?login=*', '--errand', 'Kallelse', '--text', '-', '--lang', 'en'], { configDir: other, stdin: 'Hej.\n' });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[3]).toBe('  email anna@example.se  anyone with BankID  pass the link on: the server sends no email (no SMTP)');
    expect(lines[5]).toBe('Email to anna@example.se — send this text:');
    expect(run.stdout).toMatch(/^  http:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}$/m);
  });
});
