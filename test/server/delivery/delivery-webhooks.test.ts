import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emailBody } from '../../../client/texts.js';
import { startBounceListener, type BounceListener } from '../../../server/delivery/email-bounces.js';
import { relayEmail } from '../../../server/delivery/email-relay.js';
import { deliverDue } from '../../../server/webhooks/worker.js';
import { start46elksFake, type ElksFake } from '../../support/fakes/46elks.js';
import { signTwilio, startTwilioFake, type TwilioFake } from '../../support/fakes/twilio.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { dsn, sendRaw } from '../email/email-flow.js';
import { useSmtpServerPerTest } from '../email/smtp-server-fixture.js';
import { Recipient, startBankId, type TestServer } from '../harness.js';
import { startReceiver, verifyDelivery, type Receiver } from '../webhooks/receiver.js';
import { startSmsServer, type SmsTestServer } from './sms-server.js';

/**
 * delivery.sent, delivery.delivered and delivery.failed to the sender's webhook endpoint,
 * from the providers' reports (46elks whendelivered, Twilio StatusCallback), a 550 from
 * the SMTP relay and a DSN bounce: each arrives once, verified with `standardwebhooks`;
 * a replayed, late or forged report sends none.
 */
const accountSid = `AC${'0123456789abcdef'.repeat(2)}`;
const authToken = 'twilio-test-auth-token-1234567890';

type Event = ReturnType<typeof verifyDelivery>;

/** Registers an endpoint at the receiver; `events()` runs the worker and returns what arrived since the last call. */
async function subscribe(server: TestServer, receiver: Receiver) {
  const response = await server.api('POST', '/api/v1/webhooks', { url: receiver.url, events: ['delivery.sent', 'delivery.delivered', 'delivery.failed'] });
  expect(response.status).toBe(201);
  const { secret } = (await response.json()) as { secret: string };
  let seen = 0;
  return async (): Promise<Event[]> => {
    while ((await deliverDue(server.deps, 'test-worker')) > 0);
    const fresh = receiver.deliveries.slice(seen).map((delivery) => verifyDelivery(delivery, secret, server.deps.clock.now()));
    seen = receiver.deliveries.length;
    return fresh;
  };
}

describe.each(['46elks', 'twilio'] as const)('%s reports', (provider) => {
  let bankId: SimulatorFixture;
  let fake: ElksFake | TwilioFake;
  let sms: SmsTestServer;
  let receiver: Receiver;
  let events: () => Promise<Event[]>;
  beforeAll(async () => {
    bankId = await startBankId();
    fake = provider === '46elks' ? await start46elksFake('elks-user', 'elks-password') : await startTwilioFake(accountSid, authToken);
    const settings = provider === '46elks' ? { elksUsername: 'elks-user', elksPassword: 'elks-password' } : { twilioAccountSid: accountSid, twilioAuthToken: authToken };
    sms = await startSmsServer(bankId, provider, { apiUrl: fake.url, ...settings });
    receiver = await startReceiver();
    events = await subscribe(sms.server, receiver);
  }, 60_000);
  afterAll(async () => {
    await receiver.close();
    await sms.close();
    await fake.close();
    await bankId.close();
  }, 60_000);

  const relay = async () => {
    const sealed = await sms.server.send({ recipients: [{ readers: '*' }] });
    const linkId = sealed.request.recipients[0]!.linkId;
    const result = await sms.sender.sendSms(sealed.request.messageId, { linkId, to: '070-123 45 67', text: `Läs med BankID: ${sealed.links[0]}` });
    const last = provider === '46elks' ? (fake as ElksFake).sent.at(-1)!.id : (fake as TwilioFake).sent.at(-1)!.sid;
    const report = (status: 'sent' | 'delivered' | 'failed') =>
      provider === '46elks' ? (fake as ElksFake).report(last, status) : (fake as TwilioFake).report(last, status === 'failed' ? 'undelivered' : status, status === 'failed' ? '30003' : undefined);
    return { messageId: sealed.request.messageId, linkId, result, report };
  };

  it('sends delivery.sent at the relay and delivery.delivered at the report, each once; a replayed or late report sends none', async () => {
    const { messageId, linkId, report } = await relay();
    expect(await events()).toMatchObject([{ type: 'delivery.sent', data: { messageId, linkId, channel: 'sms' } }]);
    expect(await report('sent')).toBe(204); // already sent: no second delivery.sent
    expect(await report('delivered')).toBe(204);
    expect(await report('delivered')).toBe(204);
    expect(await report('failed')).toBe(204);
    const after = await events();
    expect(after).toMatchObject([{ type: 'delivery.delivered', data: { messageId, linkId, channel: 'sms' } }]);
    expect(after).toHaveLength(1);
    expect(Object.keys(after[0]!.data).sort()).toEqual(['channel', 'linkId', 'messageId']);
  });

  it('sends delivery.failed with the provider’s code at a failure report, once', async () => {
    const { messageId, linkId, report } = await relay();
    await events();
    expect(await report('failed')).toBe(204);
    expect(await report('failed')).toBe(204);
    expect(await events()).toEqual([
      expect.objectContaining({ type: 'delivery.failed', data: { messageId, linkId, channel: 'sms', errorCode: provider === '46elks' ? 'failed' : '30003' } }),
    ]);
  });

  it('a forged report is refused and sends nothing', async () => {
    const { result } = await relay();
    await events();
    const url = `${sms.origin}/api/v1/delivery-reports/${provider}/${result.deliveryId}`;
    const fields: Record<string, string> =
      provider === '46elks'
        ? { id: (fake as ElksFake).sent.at(-1)!.id, status: 'delivered' }
        : { AccountSid: accountSid, MessageSid: (fake as TwilioFake).sent.at(-1)!.sid, MessageStatus: 'delivered' };
    const headers: Record<string, string> =
      provider === '46elks' ? { authorization: `Basic ${Buffer.from('sigill:wrong-token').toString('base64')}` } : { 'x-twilio-signature': signTwilio('not-the-token', url, fields) };
    const status = (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) })).status;
    expect([401, 403]).toContain(status);
    expect(await events()).toEqual([]);
  });
});

describe('email', () => {
  const context = useSmtpServerPerTest();
  let bounces: BounceListener;
  let receiver: Receiver;
  let events: () => Promise<Event[]>;
  const bounceDomain = 'bounces.sigill.test';
  beforeEach(async () => {
    const { store, clock, logger } = context.server.deps;
    bounces = await startBounceListener({ store, bounceDomain, clock, logger });
    receiver = await startReceiver();
    events = await subscribe(context.server, receiver);
  }, 60_000);
  afterEach(async () => {
    await bounces.close();
    await receiver.close();
  }, 60_000);

  const sendTo = async (to: string) => {
    const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
    const link = sealed.links[0]!;
    const linkId = new Recipient(context.server.app, link).linkId;
    const { store, clock, logger } = context.server.deps;
    const result = await relayEmail(
      { store, mail: context.mail, email: { bounceDomain }, clock, logger, backoffMs: [10, 10] },
      { linkId, to, text: emailBody('Ditt kontrakt', link, 'sv'), link, language: 'sv', senderName: 'Bostadsbolaget AB' },
    );
    return { messageId: sealed.request.messageId, linkId, result };
  };

  it('sends delivery.failed with the SMTP code when the relay answers 550, once', async () => {
    context.peer.refuse.add('nobody@example.se');
    const { messageId, linkId, result } = await sendTo('nobody@example.se');
    expect(result.status).toBe('failed');
    expect(await events()).toEqual([expect.objectContaining({ type: 'delivery.failed', data: { messageId, linkId, channel: 'email', errorCode: '550' } })]);
  });

  it('sends delivery.sent, then delivery.failed for a DSN bounce, once; a replayed or forged bounce sends none', async () => {
    const { messageId, linkId } = await sendTo('anna@example.se');
    expect(await events()).toMatchObject([{ type: 'delivery.sent', data: { messageId, linkId, channel: 'email' } }]);
    const verp = (context.peer.received[0]!.envelope.mailFrom as { address: string }).address;
    const forged = verp.replace(/\.[A-Za-z0-9_-]+@/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@');
    await sendRaw(bounces.port, forged, dsn(forged, 'anna@example.se', 'failed', '5.1.1'));
    expect(await events()).toEqual([]);
    await sendRaw(bounces.port, verp, dsn(verp, 'anna@example.se', 'delayed', '4.4.7'));
    expect(await events()).toEqual([]); // delayed is a state, not an event
    await sendRaw(bounces.port, verp, dsn(verp, 'anna@example.se', 'failed', '5.1.1'));
    await sendRaw(bounces.port, verp, dsn(verp, 'anna@example.se', 'failed', '5.1.1'));
    expect(await events()).toEqual([expect.objectContaining({ type: 'delivery.failed', data: { messageId, linkId, channel: 'email', errorCode: '5.1.1' } })]);
    expect(receiver.deliveries.map((delivery) => delivery.body).join('\n')).not.toContain('anna');
  });
});
