/**
 * One whole email flow on a test server, for suites that look at what it leaves behind
 * (the storage audit): a real STARTTLS SMTP peer takes the email, then a DSN bounce for it
 * reaches the bounce listener. Returns what must never be stored or logged.
 */
import nodemailer from 'nodemailer';
import { emailBody } from '../../../client/texts.js';
import { startBounceListener } from '../../../server/delivery/email-bounces.js';
import { relayEmail } from '../../../server/delivery/email-relay.js';
import { createSmtpTransport } from '../../../server/delivery/email.js';
import { Recipient, type TestServer } from '../harness.js';
import { makeTestCa, settingsFor, startSmtpPeer } from './smtp-peer.js';

export const bounceDomain = 'bounces.sigill.test';

/** A DSN (RFC 3464) for `finalRecipient`, as a relay sends it to the VERP address. */
export function dsn(to: string, finalRecipient: string, action: 'failed' | 'delayed', status: string): string {
  return [
    'From: MAILER-DAEMON@relay.example',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The mail could not be delivered.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example',
    '',
    `Final-Recipient: rfc822; ${finalRecipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${status.startsWith('5') ? '550' : '451'} ${status} user unknown`,
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    'Subject: something',
    '--b1--',
    '',
  ].join('\r\n');
}

/** Sends a raw message to a local SMTP listener without TLS. */
export async function sendRaw(port: number, to: string, raw: string) {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await client.sendMail({ envelope: { from: 'mailer-daemon@relay.example', to: [to] }, raw });
  } finally {
    client.close();
  }
}

export async function emailFlow(server: TestServer, link: string, to: string, errand: string, replyTo?: string): Promise<{ text: string; bounceAddress: string; replyTo: string | undefined }> {
  const ca = makeTestCa();
  const peer = await startSmtpPeer(ca);
  const settings = settingsFor(peer, ca);
  const mail = createSmtpTransport({ settings });
  const { store, clock, logger } = server.deps;
  const bounces = await startBounceListener({ store, bounceDomain, clock, logger });
  try {
    const text = emailBody(errand, link, 'sv');
    const linkId = new Recipient(server.app, link).linkId;
    const result = await relayEmail({ store, mail, email: { bounceDomain }, clock, logger }, { linkId, to, text, link, language: 'sv', senderName: 'Bostadsbolaget AB', ...(replyTo ? { replyTo } : {}) });
    if (result.status !== 'sent' || peer.received.length !== 1) throw new Error('the email flow did not deliver');
    const bounceAddress = (peer.received[0]!.envelope.mailFrom as { address: string }).address;
    await sendRaw(bounces.port, bounceAddress, dsn(bounceAddress, to, 'failed', '5.1.1'));
    return { text, bounceAddress, replyTo: peer.received[0]!.parsed.replyTo?.value[0]?.address };
  } finally {
    mail.close();
    await bounces.close();
    await peer.close();
  }
}
