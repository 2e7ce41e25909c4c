import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, SmsResult } from '../../../shared/api.js';
import { ApiError } from '../../../client/errors.js';
import { start46elksFake, type ElksFake } from '../../support/fakes/46elks.js';
import { signTwilio, startTwilioFake, type TwilioFake } from '../../support/fakes/twilio.js';
import type { FakeServer } from '../../support/fakes/http.js';
import { startBankId } from '../harness.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { startSmsServer, type SmsTestServer } from './sms-server.js';

/**
 * Acceptance 1 of issue 13, per provider: through the sender API on a real server, the
 * fake provider gets exactly its documented request; its reports move that recipient's
 * delivery; forged reports are refused and change nothing; a provider that times out,
 * fails or answers garbage gives a clear delivery state and never a 5xx.
 */
const accountSid = `AC${'0123456789abcdef'.repeat(2)}`;
const authToken = 'twilio-test-auth-token-1234567890';
const elksUser = 'u0123456789abcdef0123456789abcdef';
const elksPassword = 'elks-test-password-ABCDEF';

interface Provider {
  name: '46elks' | 'twilio';
  start(): Promise<FakeServer & { sent: { id?: string; sid?: string }[] }>;
  settings(fake: FakeServer): Record<string, string>;
  /** Posts a report about the last message sent. */
  report(fake: FakeServer, status: 'delivered' | 'failed'): Promise<number>;
  failureCode: string | null;
  badCredentialsCode: string;
}

const providers: Provider[] = [
  {
    name: '46elks',
    start: () => start46elksFake(elksUser, elksPassword),
    settings: (fake) => ({ apiUrl: fake.url, elksUsername: elksUser, elksPassword }),
    report: (fake, status) => (fake as ElksFake).report((fake as ElksFake).sent.at(-1)!.id, status),
    failureCode: 'failed',
    badCredentialsCode: '401',
  },
  {
    name: 'twilio',
    start: () => startTwilioFake(accountSid, authToken),
    settings: (fake) => ({ apiUrl: fake.url, twilioAccountSid: accountSid, twilioAuthToken: authToken }),
    report: (fake, status) => (fake as TwilioFake).report((fake as TwilioFake).sent.at(-1)!.sid, status === 'failed' ? 'undelivered' : status, status === 'failed' ? '30003' : undefined),
    failureCode: '30003',
    badCredentialsCode: '20003',
  },
];

describe.each(providers)('$name', (provider) => {
  let bankId: SimulatorFixture;
  let fake: Awaited<ReturnType<Provider['start']>>;
  let sms: SmsTestServer;
  beforeAll(async () => {
    bankId = await startBankId();
    fake = await provider.start();
    sms = await startSmsServer(bankId, provider.name, provider.settings(fake));
  });
  afterAll(async () => {
    await sms.close();
    await fake.close();
    await bankId.close();
  });

  /** A ready message with one link; relays its SMS through the sender API. */
  const relay = async (text: (link: string) => string = (link) => `Bostadsbolaget: ditt kontrakt. Öppna med BankID: ${link}`) => {
    const sealed = await sms.server.send({ recipients: [{ readers: '*' }] });
    const linkId = sealed.request.recipients[0]!.linkId;
    const body = text(sealed.links[0]!);
    const result: SmsResult = await sms.sender.sendSms(sealed.request.messageId, { linkId, to: '070-123 45 67', text: body });
    const delivery = async (): Promise<Delivery> => (await sms.sender.message(sealed.request.messageId)).links[0]!.deliveries[0]!;
    return { sealed, body, result, delivery };
  };

  it('sends exactly the documented request and reports the parts', async () => {
    const before = fake.requests.length;
    const { body, result, delivery } = await relay();
    expect(result).toMatchObject({ status: 'sent', parts: 1, reason: null });
    expect(fake.requests.length).toBe(before + 1);
    const request = fake.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    const reportPath = `/api/v1/delivery-reports/${provider.name}/${result.deliveryId}`;
    if (provider.name === '46elks') {
      expect(request.path).toBe('/a1/sms');
      expect(request.authorization).toBe(`Basic ${Buffer.from(`${elksUser}:${elksPassword}`).toString('base64')}`);
      expect(request.fields.map(([name]) => name)).toEqual(['from', 'to', 'message', 'dontlog', 'whendelivered']);
      const fields = Object.fromEntries(request.fields);
      expect(fields).toMatchObject({ from: 'Sigill', to: '+46701234567', message: body, dontlog: 'message' });
      const callback = new URL(fields.whendelivered!);
      expect(callback.origin + callback.pathname).toBe(sms.origin + reportPath);
      expect(callback.username).toBe('sigill');
      expect(callback.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(callback.search).toBe('');
    } else {
      expect(request.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
      expect(request.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
      expect(request.fields.map(([name]) => name)).toEqual(['To', 'From', 'Body', 'StatusCallback']);
      expect(Object.fromEntries(request.fields)).toEqual({ To: '+46701234567', From: 'Sigill', Body: body, StatusCallback: sms.origin + reportPath });
    }
    expect(await delivery()).toMatchObject({ deliveryId: result.deliveryId, channel: 'sms', recipient: '+46…67', status: 'sent', parts: 1, providerError: null });
  });

  it('a delivery report makes that recipient delivered, and a later or replayed report changes nothing', async () => {
    const { delivery } = await relay();
    expect(await provider.report(fake, 'delivered')).toBe(204);
    expect(await delivery()).toMatchObject({ status: 'delivered', reason: null, providerError: null });
    expect(await provider.report(fake, 'delivered')).toBe(204);
    expect(await provider.report(fake, 'failed')).toBe(204);
    expect(await delivery()).toMatchObject({ status: 'delivered', providerError: null });
  });

  it('a failure report makes it failed with the provider’s code', async () => {
    const { delivery } = await relay();
    expect(await provider.report(fake, 'failed')).toBe(204);
    expect(await delivery()).toMatchObject({ status: 'failed', reason: 'provider_report', providerError: provider.failureCode });
  });

  it('a forged report gets 401 or 403 and changes nothing', async () => {
    const { result, delivery } = await relay();
    const url = `${sms.origin}/api/v1/delivery-reports/${provider.name}/${result.deliveryId}`;
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) }).then((r) => r.status);
    if (provider.name === '46elks') {
      const id = (fake as ElksFake).sent.at(-1)!.id;
      const fields = { id, status: 'delivered', delivered: '2026-12-01 10:00:00' };
      expect(await post({}, fields)).toBe(401);
      expect(await post({ authorization: `Basic ${Buffer.from('sigill:wrong-token').toString('base64')}` }, fields)).toBe(401);
      // Another delivery's token is no good either.
      const other = await relay();
      const otherToken = new URL((fake as ElksFake).sent.at(-1)!.whendelivered!).password;
      expect(other.result.deliveryId).not.toBe(result.deliveryId);
      expect(await post({ authorization: `Basic ${Buffer.from(`sigill:${otherToken}`).toString('base64')}` }, fields)).toBe(401);
    } else {
      const sid = (fake as TwilioFake).sent.at(-1)!.sid;
      const fields = { AccountSid: accountSid, MessageSid: sid, MessageStatus: 'delivered', SmsSid: sid, SmsStatus: 'delivered' };
      expect(await post({}, fields)).toBe(403);
      expect(await post({ 'x-twilio-signature': signTwilio('not-the-auth-token', url, fields) }, fields)).toBe(403);
      // A genuine signature over other fields does not cover changed ones.
      const signed = signTwilio(authToken, url, { ...fields, MessageStatus: 'sent' });
      expect(await post({ 'x-twilio-signature': signed }, fields)).toBe(403);
    }
    expect(await delivery()).toMatchObject({ status: 'sent' });
  });

  it('retries a 500 once in memory and sends one SMS', async () => {
    fake.fail('500', 1);
    const before = fake.requests.length;
    const { result } = await relay();
    expect(result.status).toBe('sent');
    expect(fake.requests.length).toBe(before + 2);
  });

  it.each([
    ['timeout', 3, 'provider_timeout', null],
    ['500', 3, 'provider_unavailable', '500'],
    ['garbage', 1, 'provider_answer_invalid', null],
  ] as const)('a provider answering %s gives a failed delivery with a reason, never a 5xx', async (failure, attempts, reason, providerError) => {
    fake.fail(failure, attempts);
    const before = fake.requests.length;
    const { result, delivery } = await relay();
    // Garbage on a 2xx may mean it was accepted: never sent twice.
    expect(fake.requests.length - before).toBe(attempts);
    expect(result).toMatchObject({ status: 'failed', reason, providerError });
    expect(await delivery()).toMatchObject({ status: 'failed', reason, providerError });
  });

  it('wrong credentials give a failed delivery with the provider’s code', async () => {
    const other = await startSmsServer(bankId, provider.name, { ...provider.settings(fake), elksPassword: 'wrong', twilioAuthToken: 'wrong' });
    try {
      const sealed = await other.server.send({ recipients: [{ readers: '*' }] });
      const result = await other.sender.sendSms(sealed.request.messageId, { linkId: sealed.request.recipients[0]!.linkId, to: '0701234567', text: `Hej ${sealed.links[0]}` });
      expect(result).toMatchObject({ status: 'failed', reason: 'provider_rejected', providerError: provider.badCredentialsCode });
    } finally {
      await other.close();
    }
  });

  it('splits a long text into parts, reflows one whose link a boundary would cut, and refuses one it cannot keep whole', async () => {
    const { result } = await relay((link) => `${'Hej! '.repeat(40)}Öppna: ${link}`);
    expect(result).toMatchObject({ status: 'sent', parts: 2 });
    const reflowed = await relay((link) => `${'x'.repeat(143)} ${link}`);
    expect(reflowed.result).toMatchObject({ status: 'sent', parts: 2 });
    const sentText = provider.name === '46elks' ? Object.fromEntries(fake.requests.at(-1)!.fields).message! : Object.fromEntries(fake.requests.at(-1)!.fields).Body!;
    expect(sentText.indexOf(reflowed.sealed.links[0]!)).toBe(153);
    const before = fake.requests.length;
    const sealed = await sms.server.send({ recipients: [{ readers: '*' }] });
    const emoji = `Ditt kontrakt 😀 ${sealed.links[0]}`;
    const refused = await sms.sender.sendSms(sealed.request.messageId, { linkId: sealed.request.recipients[0]!.linkId, to: '0701234567', text: emoji }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 400, code: 'sms_link_split' });
    expect(fake.requests.length).toBe(before);
  });
});
