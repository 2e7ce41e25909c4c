import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planRecipients } from '../../client/link-plan.js';
import { receiptKeyRing } from '../../client/receipt-keys.js';
import { sendMessage, type SendInput } from '../../client/send.js';
import { sentMessage } from '../../client/status.js';
import { senderApi, type SenderApi } from '../../client/sender-api.js';
import { memoryStores } from '../../client/stores.js';
import { emailBody } from '../../client/texts.js';
import { createApp } from '../../server/app.js';
import { createSmtpTransport, type EmailTransport } from '../../server/delivery/email.js';
import type { SimulatorFixture } from '../server/bankid/simulator-fixture.js';
import { startBankId, startServer, type TestServer } from '../server/harness.js';
import { makeTestCa, settingsFor, startSmtpPeer, type SmtpPeer, type TestCa } from '../server/email/smtp-peer.js';

/** sendMessage with `email: 'server'`: the server emails each recipient its own link (a real STARTTLS SMTP server here). */
describe('sendMessage with the server sending the email', () => {
  let ca: TestCa;
  let bankId: SimulatorFixture;
  let server: TestServer;
  let peer: SmtpPeer;
  let mail: EmailTransport;
  let api: SenderApi;
  beforeAll(async () => {
    ca = makeTestCa();
    bankId = await startBankId();
  });
  afterAll(async () => bankId.close());
  beforeEach(async () => {
    server = await startServer(bankId);
    peer = await startSmtpPeer(ca);
    const settings = settingsFor(peer, ca);
    mail = createSmtpTransport({ settings, timeoutMs: 10_000 });
    const app = createApp({ ...server.deps, config: { ...server.deps.config, email: settings }, mail });
    api = senderApi({ baseUrl: '', token: server.token, fetch: (path, init) => Promise.resolve(app.request(path, init)) });
  });
  afterEach(async () => {
    mail.close();
    await peer.close();
    await server.close();
  });

  const input = (field: string): SendInput => ({
    links: planRecipients(field, { email: 'server' }),
    errand: 'Ditt hyresavtal',
    text: 'Hej!',
    attachments: [],
    language: 'sv',
    email: 'server',
  });
  const send = (through: SenderApi, field: string) => {
    const stores = memoryStores();
    return sendMessage({ api: through, keys: receiptKeyRing(stores.keys), sent: stores.sent, uploads: 'stream' }, input(field));
  };

  it('emails each recipient its own link with the email body, and the status shows each email sent', async () => {
    const sent = await send(api, 'anna@example.se?login=*, bo@example.se&login=19680202*');
    expect(sent.links.map((link) => [link.channel, link.to, link.delivery])).toEqual([
      ['email', ['anna@example.se'], 'email_sent'],
      ['email', ['bo@example.se'], 'email_sent'],
    ]);
    expect(sent.links[0]!.link).not.toBe(sent.links[1]!.link);
    expect(peer.received).toHaveLength(2);
    const byAddress = new Map(peer.received.map((received) => [received.envelope.rcptTo[0]!.address, received.parsed.text?.trim()]));
    for (const link of sent.links) expect(byAddress.get(link.to[0]!)).toBe(emailBody('Ditt hyresavtal', link.link, 'sv'));
    const status = await api.message(sent.messageId);
    expect(status.links.map((link) => link.deliveries.map((delivery) => [delivery.channel, delivery.status]))).toEqual([[['email', 'sent']], [['email', 'sent']]]);
  });

  it('a refused recipient comes back email_failed with the relay’s code, and its link to hand over; the status view offers to resend it', async () => {
    peer.refuse.add('nobody@example.se');
    const stores = memoryStores();
    const keys = receiptKeyRing(stores.keys);
    const sent = await sendMessage({ api, keys, sent: stores.sent, uploads: 'stream' }, input('nobody@example.se?login=*'));
    expect(sent.links[0]).toMatchObject({ delivery: 'email_failed', error: { code: 'provider_rejected' } });
    expect(sent.links[0]!.link).toContain('/o/');
    const view = await sentMessage({ api, keys, sent: stores.sent }, sent.messageId);
    expect(view.links[0]!.deliveries).toMatchObject([{ channel: 'email', recipient: 'n…@example.se', state: 'failed', reason: 'provider_rejected', providerError: '550', offerResend: true }]);
    expect(view.links[0]!.deliveryFailed).toBe(true);
  });

  it('a server without SMTP hands the link back, saying so with email_not_configured', async () => {
    const sent = await send(server.sender, 'anna@example.se?login=*');
    expect(sent.links[0]).toMatchObject({ delivery: 'hand_over', error: { code: 'email_not_configured' } });
    expect(sent.links[0]!.text).toBe(emailBody('Ditt hyresavtal', sent.links[0]!.link, 'sv'));
    expect(peer.received).toHaveLength(0);
  });

  it('refuses a shared email link when the server is to send the email, before any request', async () => {
    const stores = memoryStores();
    const shared = { ...input('anna@example.se?login=*'), links: planRecipients('anna@example.se?login=*, bo@example.se?login=*', { email: 'webmail' }) };
    await expect(sendMessage({ api, keys: receiptKeyRing(stores.keys), sent: stores.sent }, shared)).rejects.toMatchObject({ code: 'recipients_invalid' });
    expect(await api.messages()).toEqual({ messages: [] });
  });
});
