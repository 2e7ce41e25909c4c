import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emailBody } from '../../../client/texts.js';
import { startBounceListener, type BounceListener } from '../../../server/delivery/email-bounces.js';
import { relayEmailChannel } from '../../../server/delivery/email-channel.js';
import { relayEmail, type EmailRelayDeps } from '../../../server/delivery/email-relay.js';
import { createSmtpTransport, type EmailTransport } from '../../../server/delivery/email.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { Recipient, startBankId, startServer, type TestServer } from '../harness.js';
import { dsn, sendRaw } from './email-flow.js';
import { makeTestCa, settingsFor, startSmtpPeer, type SmtpPeer, type TestCa } from './smtp-peer.js';

/**
 * Email through a real SMTP server in the test process (STARTTLS with a test CA), parsed
 * with mailparser; 550 answers and DSN bounces move the delivery the sender sees in
 * GET /api/v1/messages/{id}. The email is handed over by relayEmail directly; the
 * deliveries endpoint that calls it is tested in email-endpoint.test.ts.
 */
const errand = 'Ditt hyresavtal <b>& villkor</b>';

describe('email delivery', () => {
  let ca: TestCa;
  let bankId: SimulatorFixture;
  let server: TestServer;
  let peer: SmtpPeer;
  let mail: EmailTransport;
  let bounces: BounceListener | undefined;
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
  });
  afterEach(async () => {
    mail.close();
    await bounces?.close();
    bounces = undefined;
    await peer.close();
    await server.close();
  });

  const relayDeps = (): EmailRelayDeps => ({
    store: server.deps.store,
    mail,
    email: { bounceDomain: 'bounces.sigill.test' },
    clock: server.deps.clock,
    logger: server.deps.logger,
    backoffMs: [10, 10],
  });
  async function sendTo(to: string, language: 'sv' | 'en' = 'sv') {
    const sealed = await server.send({ errand, recipients: [{ readers: '*' }] });
    const link = sealed.links[0]!;
    const linkId = new Recipient(server.app, link).linkId;
    const text = emailBody(errand, link, language);
    const result = await relayEmail(relayDeps(), { linkId, to, text, link, language, senderName: 'Bostadsbolaget AB', replyTo: 'kundtjanst@bostadsbolaget.se' });
    const deliveries = async () => (await server.sender.message(sealed.request.messageId)).links[0]!.deliveries;
    return { sealed, link, result, deliveries };
  }

  it('delivers over STARTTLS a message with the sender’s name, the errand as subject, the link in text and HTML, Message-ID and Date', async () => {
    const { link, result, deliveries } = await sendTo('anna@example.se');
    expect(result).toMatchObject({ status: 'sent', reason: null });
    expect(peer.received).toHaveLength(1);
    const { parsed, secure, envelope } = peer.received[0]!;
    expect(secure).toBe(true);
    expect(parsed.from?.value).toEqual([{ name: 'Bostadsbolaget AB', address: 'no-reply@sigill.test' }]);
    expect(parsed.replyTo?.value[0]?.address).toBe('kundtjanst@bostadsbolaget.se');
    expect((Array.isArray(parsed.to) ? parsed.to : [parsed.to])[0]?.value[0]?.address).toBe('anna@example.se');
    expect(parsed.subject).toBe(errand);
    expect(parsed.text?.startsWith(errand)).toBe(true);
    expect(parsed.text).toContain(link);
    expect(parsed.text).toContain('legitimera dig med BankID');
    expect(parsed.html).toContain(`<a href="${link}">${link}</a>`);
    expect(parsed.html).toContain('Ditt hyresavtal &lt;b&gt;&amp; villkor&lt;/b&gt;');
    expect(parsed.html).not.toContain('<b>');
    expect(parsed.html).toContain('<html lang="sv">');
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@sigill\.test>$/);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(Math.abs(parsed.date!.getTime() - Date.now())).toBeLessThan(60_000);
    // VERP envelope sender and DSN NOTIFY=FAILURE,DELAY.
    expect(envelope.mailFrom && envelope.mailFrom.address).toMatch(/^bounce\+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+@bounces\.sigill\.test$/);
    expect(envelope.rcptTo[0]?.dsn?.notify?.map((n) => n.toUpperCase()).sort()).toEqual(['DELAY', 'FAILURE']);
    expect(await deliveries()).toMatchObject([{ channel: 'email', recipient: 'a…@example.se', status: 'sent', reason: null }]);
  });

  it('writes the English text and HTML when the sender chooses English', async () => {
    await sendTo('bo@example.com', 'en');
    const { parsed } = peer.received[0]!;
    expect(parsed.text).toContain('identify yourself with BankID');
    expect(parsed.html).toContain('<html lang="en">');
  });

  it('marks a recipient the relay answers 550 failed, with the SMTP code, and sends nothing', async () => {
    peer.refuse.add('nobody@example.se');
    const { result, deliveries } = await sendTo('nobody@example.se');
    expect(result).toMatchObject({ status: 'failed', reason: 'provider_rejected', providerError: '550' });
    expect(peer.received).toHaveLength(0);
    expect(await deliveries()).toMatchObject([{ channel: 'email', recipient: 'n…@example.se', status: 'failed', reason: 'provider_rejected', providerError: '550' }]);
  });

  it('refuses to send in plaintext to a relay that offers no STARTTLS', async () => {
    const plain = await startSmtpPeer(ca, { tls: false });
    mail.close();
    mail = createSmtpTransport({ settings: settingsFor(plain, ca) });
    try {
      const { result, deliveries } = await sendTo('anna@example.se');
      expect(result).toMatchObject({ status: 'failed', reason: 'provider_unavailable' });
      expect(plain.received).toHaveLength(0);
      expect(await deliveries()).toMatchObject([{ status: 'failed' }]);
    } finally {
      await plain.close();
    }
  });

  it('the relay channel refuses a bad address, a text without its link, and a server without SMTP, each with its code and without the address', async () => {
    const sealed = await server.send({ errand, recipients: [{ readers: '*' }] });
    const link = sealed.links[0]!;
    const linkId = new Recipient(server.app, link).linkId;
    const config = { ...server.deps.config, email: { ...server.deps.config.email, bounceDomain: 'bounces.sigill.test' } };
    const deps = { ...server.deps, config, mail };
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'sent', (error: { status: number; code: string; message: string }) => `${error.status} ${error.code} ${error.message}`);
    const refusals = [
      await codeOf(relayEmailChannel(deps, { name: 'B' }, { linkId, to: 'anna(at)example.se', text: emailBody(errand, link, 'sv') })),
      await codeOf(relayEmailChannel(deps, { name: 'B' }, { linkId, to: 'anna@example.se', text: errand })),
      await codeOf(relayEmailChannel({ ...server.deps, mail: undefined }, { name: 'B' }, { linkId, to: 'anna@example.se', text: emailBody(errand, link, 'sv') })),
    ];
    expect(refusals.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['400 email_invalid', '400 email_link_missing', '501 email_not_configured']);
    expect(refusals.join('\n')).not.toContain('anna');
    expect(peer.received).toHaveLength(0);
    const sent = await relayEmailChannel(deps, { name: 'Bostadsbolaget AB' }, { linkId, to: ' anna@example.se ', text: emailBody(errand, link, 'en'), language: 'en' });
    expect(sent.status).toBe('sent');
    expect(peer.received[0]!.parsed.from?.value[0]?.name).toBe('Bostadsbolaget AB');
  });

  async function bounce(to: string, action: 'failed' | 'delayed', status: string) {
    bounces ??= await startBounceListener({ store: server.deps.store, bounceDomain: 'bounces.sigill.test', clock: server.deps.clock, logger: server.deps.logger });
    return sendRaw(bounces.port, to, dsn(to, 'anna@example.se', action, status));
  }

  it('marks the recipient failed when a DSN bounce reaches its VERP address, and delayed for a delay DSN before that', async () => {
    const { result, deliveries } = await sendTo('anna@example.se');
    expect(result.status).toBe('sent');
    const verp = peer.received[0]!.envelope.mailFrom && peer.received[0]!.envelope.mailFrom.address;
    await bounce(verp as string, 'delayed', '4.4.7');
    expect(await deliveries()).toMatchObject([{ status: 'delayed', providerError: '4.4.7' }]);
    await bounce(verp as string, 'failed', '5.1.1');
    expect(await deliveries()).toMatchObject([{ status: 'failed', reason: 'provider_report', providerError: '5.1.1' }]);
  });

  it('ignores a bounce with a forged token and refuses mail for any other address', async () => {
    const { deliveries } = await sendTo('anna@example.se');
    const verp = (peer.received[0]!.envelope.mailFrom as { address: string }).address;
    const forged = verp.replace(/\.[A-Za-z0-9_-]+@/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@');
    await bounce(forged, 'failed', '5.1.1');
    expect(await deliveries()).toMatchObject([{ status: 'sent' }]);
    await expect(bounce('postmaster@bounces.sigill.test', 'failed', '5.1.1')).rejects.toMatchObject({ responseCode: 550 });
    expect(await deliveries()).toMatchObject([{ status: 'sent' }]);
  });
});
