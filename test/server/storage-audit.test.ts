import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeBase64url } from '../../shared/base64url.js';
import { deriveKeys } from '../../shared/keys.js';
import type { SimulatorFixture } from './bankid/simulator-fixture.js';
import { describeEachBackend, type Place } from './backends.js';
import { emailFlow } from './email/email-flow.js';
import { Recipient, startBankId, startServer, verifyAs, type TestServer } from './harness.js';
import { startSmsServer } from './delivery/sms-server.js';
import { start46elksFake, type ElksFake } from '../support/fakes/46elks.js';
import { startTwilioFake, type TwilioFake } from '../support/fakes/twilio.js';
import { setReplyTo } from '../../server/senders/reply-to.js';
import { webhookKey } from '../../server/webhooks/secrets.js';

/**
 * Zero knowledge at rest: after full flows with known values, nothing the back end keeps
 * (libsql: the database file, its WAL, the blob folder; PostgreSQL: this database's
 * files, the WAL and a pg_dump, and every object in the bucket) nor the logs hold any
 * of them, raw or encoded.
 */
const secretText = 'Provsvar: HbA1c 48 mmol/mol, ring mottagningen';
const errandText = 'Ditt provsvar från Vårdcentralen Norrmalm';
const attachmentText = 'Konfidentiell bilaga: hyresavtal för lägenhet 1204, Storgatan 7';
const reader = '199908072391';
const intruder = '196802020575';
const phone = '+46701234567';
const emailAddress = 'anna.andersson@example.se';
const replyTo = 'kundtjanst@vardcentralen-norrmalm.se';

function forms(value: string | Uint8Array): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  const out = [bytes.toString('hex'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')];
  if (typeof value === 'string') out.push(value);
  else out.push(bytes.toString('latin1'));
  return out.filter((form) => form.length >= 8);
}

describeEachBackend('storage audit', (backend) => {
  let bankId: SimulatorFixture;
  let server: TestServer;
  beforeAll(async () => {
    bankId = await startBankId();
    server = await startServer(bankId, {}, backend);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await bankId?.close();
  }, 60_000);

  it('keeps no plaintext, secret, key, token, orderRef or personal number at rest or in logs', async () => {
    // Webhook endpoints: their signing secrets are kept sealed, and the outbox's events carry ids only.
    const endpoint = (await (await server.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks' })).json()) as { id: string; secret: string };
    const rotated = (await (await server.api('POST', `/api/v1/webhooks/${endpoint.id}/rotate`)).json()) as { secret: string };
    const webhookSecrets = [endpoint.secret, rotated.secret];
    const attachment = Buffer.from(attachmentText.repeat(2000));
    const sealed = await server.send({
      errand: errandText,
      text: secretText,
      recipients: [{ readers: [`se-pnr:${reader}`, 'se-pnr:19990807*'] }, { readers: '*' }],
      attachments: [{ name: 'hyresavtal-storgatan.pdf', type: 'application/pdf', size: attachment.length, open: () => new Blob([attachment]).stream() }],
    });
    const secret = sealed.secret;
    const keys = deriveKeys(secret, Buffer.from(sealed.request.messageId, 'base64url'));
    const smsText = `${errandText}. Öppna med BankID: ${sealed.links[0]}`;
    expect((await server.api('POST', `/api/v1/messages/${sealed.request.messageId}/sms`, { linkId: sealed.request.recipients[0]!.linkId, to: '070-123 45 67', text: smsText })).status).toBe(202);

    // An email over a real SMTP peer and its DSN bounce (test/server/email/email-flow.ts).
    // The sender's Reply-To (kept sealed) goes into that email.
    expect(await setReplyTo(server.deps.store.senders, webhookKey(server.deps.config), (await server.rows<{ id: string }>('SELECT id FROM senders'))[0]!.id, replyTo)).toBe(true);
    const email = await emailFlow(server, sealed.links[1]!, emailAddress, errandText, replyTo);
    expect(email.replyTo).toBe(replyTo);

    const recipient = new Recipient(server.app, sealed.links[0]!);
    const orderRefs: string[] = [];
    const collect = server.deps.bankId.collect.bind(server.deps.bankId);
    server.deps.bankId.collect = async (orderRef) => {
      orderRefs.push(orderRef);
      return collect(orderRef);
    };
    const approved = await verifyAs(server, bankId, recipient, reader);
    expect(approved.state.status).toBe('approved');
    const releaseToken = (approved.state as { releaseToken: string }).releaseToken;
    expect((await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/1`, { headers: { authorization: `Bearer ${releaseToken}` } })).status).toBe(200);
    const denied = await verifyAs(server, bankId, new Recipient(server.app, sealed.links[1]!.replace(/#.*/, `#${encodeBase64url(secret)}`)), intruder);
    expect(denied.state.status).toBe('approved'); // the wildcard link lets anyone read
    const second = await server.send({ recipients: [{ readers: [`se-pnr:${reader}`] }] });
    expect((await verifyAs(server, bankId, new Recipient(server.app, second.links[0]!), intruder)).state.status).toBe('denied');
    expect(orderRefs.length).toBeGreaterThanOrEqual(3);

    const forbidden: [string, string | Uint8Array][] = [
      ['message text', secretText],
      ['errand', errandText],
      ['attachment', attachmentText],
      ['attachment name', 'hyresavtal-storgatan'],
      ['secret S', secret],
      ['link fragment', encodeBase64url(secret)],
      ['K_auth', keys.auth],
      ['K_errand', keys.errand],
      ['K_payload(0)', keys.payload(0)],
      ['release token', releaseToken],
      ['verification id', approved.verificationId],
      ['API token', server.token],
      ['SMS text', smsText.slice(0, 30)],
      ['phone number', phone],
      ['email address', emailAddress],
      ['email address, local part', 'anna.andersson'],
      ['Reply-To address', replyTo],
      ['email text', email.text.slice(errandText.length, errandText.length + 40)],
      ['bounce address', email.bounceAddress],
      ['bounce token', email.bounceAddress.split('.')[1]!.split('@')[0]!],
      ['phone number, national', '0701234567'],
      ...[reader, intruder].flatMap((pnr): [string, string][] => [
        ['personal number', pnr],
        ['personal number, 10 digits', pnr.slice(2)],
        ['identity', `se-pnr:${pnr}`],
      ]),
      ...orderRefs.map((orderRef): [string, string] => ['orderRef', orderRef]),
      ...webhookSecrets.flatMap((whsec): [string, string | Uint8Array][] => [
        ['webhook secret', whsec],
        ['webhook secret key', Buffer.from(whsec.slice('whsec_'.length), 'base64')],
      ]),
    ];
    expect((await server.rows('SELECT id FROM webhook_jobs')).length).toBeGreaterThan(3);

    const places = [...(await server.backend.placesAtRest()), ['logs', Buffer.from(server.logs.join(''))] as Place];
    // The audit reads what is really stored: rows (the message id is not secret) and every payload.
    const messageId = Buffer.from(sealed.request.messageId);
    expect(places.filter(([place, content]) => !place.startsWith('blob') && !place.startsWith('bucket') && content.includes(messageId)).length).toBeGreaterThan(0);
    const payloadBytes = places.filter(([place]) => place.startsWith('blob') || place.startsWith('bucket')).reduce((sum, [, content]) => sum + content.length, 0);
    expect(payloadBytes).toBeGreaterThanOrEqual(sealed.payloads.reduce((sum, p) => sum + p.length, 0));
    expect(server.logs.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const [place, content] of places) {
      for (const [name, value] of forbidden) {
        for (const form of forms(value)) {
          if (content.includes(Buffer.from(form, 'utf8')) || content.includes(Buffer.from(form, 'latin1'))) found.push(`${name} in ${place}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});

/**
 * Issue 13: after SMS through 46elks and Twilio (fakes over HTTP), with delivery reports,
 * a failure and a retry, no phone number, link, SMS text, report token, provider id or
 * provider secret is in the database, its WAL or the logs.
 */
describeEachBackend('storage audit, SMS providers', (backend) => {
  let bankId: SimulatorFixture;
  beforeAll(async () => {
    bankId = await startBankId();
  }, 60_000);
  afterAll(async () => bankId?.close(), 60_000);

  const accountSid = `AC${'fedcba9876543210'.repeat(2)}`;
  const providers = [
    { name: '46elks' as const, secret: 'elks-audit-password-XYZ', start: () => start46elksFake('elks-audit-user', 'elks-audit-password-XYZ') },
    { name: 'twilio' as const, secret: 'twilio-audit-token-QRS', start: () => startTwilioFake(accountSid, 'twilio-audit-token-QRS') },
  ];

  it.each(providers)('keeps no number, link, text, token or provider secret at rest or in logs after $name', async (provider) => {
    const fake = await provider.start();
    const settings =
      provider.name === '46elks'
        ? { apiUrl: fake.url, elksUsername: 'elks-audit-user', elksPassword: provider.secret }
        : { apiUrl: fake.url, twilioAccountSid: accountSid, twilioAuthToken: provider.secret };
    const sms = await startSmsServer(bankId, provider.name, settings, backend);
    try {
      // A webhook endpoint: the reports' delivery.* events are queued in the outbox (ids only).
      expect((await sms.server.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['delivery.delivered', 'delivery.failed'] })).status).toBe(201);
      const sealed = await sms.server.send({ recipients: [{ readers: '*' }, { readers: '*' }] });
      const texts = sealed.links.map((link) => `${errandText}. Öppna med BankID: ${link}`);
      fake.fail('500', 1);
      for (const [index, text] of texts.entries()) {
        const result = await sms.sender.sendSms(sealed.request.messageId, { linkId: sealed.request.recipients[index]!.linkId, to: '070-123 45 67', text });
        expect(result.status).toBe('sent');
      }
      const elks = provider.name === '46elks' ? (fake as ElksFake) : undefined;
      const twilio = provider.name === 'twilio' ? (fake as TwilioFake) : undefined;
      const sent = elks ? elks.sent.map((m) => m.id) : twilio!.sent.map((m) => m.sid);
      const reports = elks ? [elks.report(sent[0]!, 'delivered'), elks.report(sent[1]!, 'failed')] : [twilio!.report(sent[0]!, 'delivered'), twilio!.report(sent[1]!, 'undelivered', '30003')];
      expect(await Promise.all(reports)).toEqual([204, 204]);
      const status = await sms.sender.message(sealed.request.messageId);
      expect(status.links.map((link) => link.deliveries[0]!.status)).toEqual(['delivered', 'failed']);
      const events = await sms.server.rows<{ body: string }>('SELECT body FROM webhook_jobs');
      expect(events.map((row) => (JSON.parse(row.body) as { type: string }).type).sort()).toEqual(['delivery.delivered', 'delivery.failed']);

      const reportTokens = elks ? elks.sent.map((m) => new URL(m.whendelivered!).password) : [];
      const forbidden: [string, string][] = [
        ['phone number', phone],
        ['phone number, national', '0701234567'],
        ...texts.map((text): [string, string] => ['SMS text', text.slice(0, 30)]),
        ...sealed.links.map((link): [string, string] => ['link fragment', link.slice(link.indexOf('#') + 1)]),
        ...sent.map((id): [string, string] => ['provider message id', id]),
        ...reportTokens.map((token): [string, string] => ['report token', token]),
        ['provider secret', provider.secret],
        ['API token', sms.server.token],
      ];
      expect(forbidden.length).toBeGreaterThanOrEqual(9);
      const places = [...(await sms.server.backend.placesAtRest()), ['logs', Buffer.from(sms.server.logs.join(''))] as Place];
      expect(sms.server.logs.some((line) => line.includes('sms_report'))).toBe(true);
      const found: string[] = [];
      for (const [place, content] of places) {
        for (const [name, value] of forbidden) {
          for (const form of forms(value)) if (content.includes(Buffer.from(form, 'utf8'))) found.push(`${name} in ${place}`);
        }
      }
      expect(found).toEqual([]);
    } finally {
      await sms.close();
      await fake.close();
    }
  });
});
