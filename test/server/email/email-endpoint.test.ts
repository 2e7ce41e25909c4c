import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emailBody } from '../../../client/texts.js';
import { createApp } from '../../../server/app.js';
import type { EmailSettings } from '../../../server/delivery/email-config.js';
import { createSmtpTransport, type EmailTransport } from '../../../server/delivery/email.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { Recipient, startBankId, startServer, type TestServer } from '../harness.js';
import { makeTestCa, settingsFor, startSmtpPeer, type SmtpPeer, type TestCa } from './smtp-peer.js';

/**
 * POST /api/v1/messages/{messageId}/deliveries: the sender API's one relay endpoint, for
 * email through a real STARTTLS SMTP server in the test process, and for SMS through the
 * outbox; both with the SMS route's checks.
 */
const errand = 'Ditt hyresavtal';

describe('the deliveries endpoint', () => {
  let ca: TestCa;
  let bankId: SimulatorFixture;
  let server: TestServer;
  let peer: SmtpPeer;
  let mail: EmailTransport;
  let app: ReturnType<typeof createApp>;
  let settings: EmailSettings;
  beforeAll(async () => {
    ca = makeTestCa();
    bankId = await startBankId();
  });
  afterAll(async () => bankId.close());
  beforeEach(async () => {
    server = await startServer(bankId);
    peer = await startSmtpPeer(ca);
    settings = settingsFor(peer, ca);
    mail = createSmtpTransport({ settings, timeoutMs: 10_000 });
    app = createApp({ ...server.deps, config: { ...server.deps.config, email: settings }, mail });
  });
  afterEach(async () => {
    mail.close();
    await peer.close();
    await server.close();
  });

  const post = (messageId: string, body: unknown, target = app) =>
    target.request(`/api/v1/messages/${messageId}/deliveries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];

  async function prepared() {
    const sealed = await server.send({ errand, recipients: [{ readers: '*' }, { readers: '*' }] });
    const links = sealed.links.map((link) => ({ link, linkId: new Recipient(server.app, link).linkId }));
    return { messageId: sealed.request.messageId, links };
  }

  it('relays an email that arrives over STARTTLS with the link, and the status shows the email delivery sent with a masked address', async () => {
    const { messageId, links } = await prepared();
    const { link, linkId } = links[0]!;
    const response = await post(messageId, { channel: 'email', linkId, to: 'anna@example.se', text: emailBody(errand, link, 'en'), language: 'en' });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'sent', reason: null });
    expect(peer.received).toHaveLength(1);
    const { parsed, secure } = peer.received[0]!;
    expect(secure).toBe(true);
    expect((Array.isArray(parsed.to) ? parsed.to : [parsed.to])[0]?.value[0]?.address).toBe('anna@example.se');
    expect(parsed.text).toContain(link);
    expect(parsed.html).toContain('<html lang="en">');
    const status = await server.sender.message(messageId);
    const row = status.links.find((entry) => entry.linkId === linkId)!;
    expect(row.deliveries).toMatchObject([{ channel: 'email', recipient: 'a…@example.se', status: 'sent', reason: null }]);
    expect(status.links.find((entry) => entry.linkId !== linkId)!.deliveries).toEqual([]);
  });

  it('refuses another message’s link, a text without the link, a bad address and a message not ready, each with its code and sending nothing', async () => {
    const first = await prepared();
    const second = await prepared();
    const { link, linkId } = first.links[0]!;
    expect(await codeOf(await post(second.messageId, { channel: 'email', linkId, to: 'anna@example.se', text: emailBody(errand, link, 'sv') }))).toEqual([404, 'link_not_found']);
    expect(await codeOf(await post(first.messageId, { channel: 'email', linkId, to: 'anna@example.se', text: errand }))).toEqual([400, 'email_link_missing']);
    expect(await codeOf(await post(first.messageId, { channel: 'email', linkId, to: 'anna(at)example.se', text: emailBody(errand, link, 'sv') }))).toEqual([400, 'email_invalid']);
    expect(await codeOf(await post(first.messageId, { channel: 'fax', linkId, to: 'anna@example.se', text: link }))).toEqual([400, 'invalid_request']);
    await server.api('DELETE', `/api/v1/messages/${first.messageId}`);
    expect(await codeOf(await post(first.messageId, { channel: 'email', linkId, to: 'anna@example.se', text: emailBody(errand, link, 'sv') }))).toEqual([409, 'message_not_ready']);
    expect(peer.received).toHaveLength(0);
  });

  it('refuses a sender’s emails over its daily quota with 429 quota_exceeded, sending nothing more', async () => {
    app = createApp({ ...server.deps, config: { ...server.deps.config, email: settings, quotaEmailsPerDay: 1 }, mail });
    const { messageId, links } = await prepared();
    const email = (index: number) => post(messageId, { channel: 'email', linkId: links[index]!.linkId, to: 'anna@example.se', text: emailBody(errand, links[index]!.link, 'sv') });
    expect((await email(0)).status).toBe(202);
    expect(await codeOf(await email(1))).toEqual([429, 'quota_exceeded']);
    expect(peer.received).toHaveLength(1);
  });

  it('answers 501 email_not_configured on a server without SMTP', async () => {
    const { messageId, links } = await prepared();
    const { link, linkId } = links[0]!;
    expect(await codeOf(await post(messageId, { channel: 'email', linkId, to: 'anna@example.se', text: emailBody(errand, link, 'sv') }, server.app))).toEqual([501, 'email_not_configured']);
  });

  it('relays an SMS over the same endpoint with the SMS checks', async () => {
    const { messageId, links } = await prepared();
    const { link, linkId } = links[1]!;
    const text = `${errand}: ${link}`;
    expect(await codeOf(await post(messageId, { channel: 'sms', linkId, to: '08-123 456 78', text }))).toEqual([400, 'phone_not_mobile']);
    const response = await post(messageId, { channel: 'sms', linkId, to: '070-123 45 67', text });
    expect(response.status).toBe(202);
    expect(server.outbox.entries().at(-1)).toMatchObject({ to: '+46701234567', text });
    expect((await server.sender.message(messageId)).links.find((entry) => entry.linkId === linkId)!.deliveries).toMatchObject([{ channel: 'sms', recipient: '+46…67', status: 'sent' }]);
  });
});
