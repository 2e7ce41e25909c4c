/**
 * Issue 15 item 12: revoking a sender revokes its live messages (links answer 410,
 * ciphertext deleted at once), and every sender has daily quotas on messages and SMS,
 * counted in the store (a clear 429 `quota_exceeded`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSender, revokeSender } from '../../../server/senders/senders.js';
import { senderApi } from '../../../client/sender-api.js';
import { createAndUpload } from '../../../client/send.js';
import { sealMessage } from '../../../shared/seal-message.js';
import { backends } from '../backends.js';
import { origin, Recipient, startBankId, startServer, verifyAs, type TestServer } from '../harness.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';

const codeOf = async (response: Response | Promise<Response>) => {
  const answer = await response;
  return [answer.status, ((await answer.json()) as { error?: { code: string } }).error?.code];
};

describe.each(backends)('[$name] senders and quotas', (backend) => {
  let bankId: SimulatorFixture;
  let server: TestServer;
  beforeAll(async () => {
    bankId = await startBankId();
  });
  afterAll(async () => bankId.close());
  afterEach(async () => server.close());

  it('revoking a sender revokes its live messages and deletes their ciphertext, and no one else’s', async () => {
    server = await startServer(bankId, {}, backend);
    const { sender, token } = await createSender(server.deps.store.senders, 'Klinik', bankId.clock.now());
    const klinik = senderApi({ baseUrl: '', token, fetch: (path, init) => Promise.resolve(server.app.request(path, init)) });
    const sealed = await sealMessage({ origin, errand: 'Provsvar', text: 'Dina provsvar.', attachments: [], recipients: [{ readers: '*' }], receiptKey: server.receiptKeys.receiptKey });
    await createAndUpload(klinik, sealed, { uploads: 'stream' });
    const other = await server.send({ recipients: [{ readers: '*' }] });
    const recipient = new Recipient(server.app, sealed.links[0]!);
    const { state } = await verifyAs(server, bankId, recipient, '199908072391');
    expect(state.status).toBe('approved');
    expect(await server.deps.blobs.size(sealed.request.messageId, 0)).toBeGreaterThan(0);

    expect(await revokeSender(server.deps, sender.id, bankId.clock.now())).toEqual({ revoked: true, messages: 1 });
    expect(await codeOf(server.app.request(`/api/v1/links/${recipient.linkId}`))).toEqual([410, 'link_revoked']);
    const payload = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/0`, { headers: { authorization: `Bearer ${(state as { releaseToken: string }).releaseToken}` } });
    expect(payload.status).toBeGreaterThanOrEqual(400);
    await payload.arrayBuffer();
    expect(await server.deps.blobs.size(sealed.request.messageId, 0)).toBeUndefined();
    const [row] = await server.rows<{ state: string; errand: string }>('SELECT state, errand FROM messages WHERE id = ?', sealed.request.messageId);
    expect(row).toEqual({ state: 'revoked', errand: '' });
    // The other sender's message is untouched.
    expect((await server.app.request(`/api/v1/links/${other.request.recipients[0]!.linkId}`)).status).toBe(200);
  });

  it('refuses a sender’s messages and SMS over its daily quota with 429 quota_exceeded, and counts again the next day', async () => {
    server = await startServer(bankId, { quotaMessagesPerDay: 2, quotaSmsPerDay: 1 }, backend);
    const first = await server.send({ recipients: [{ readers: '*' }] });
    await server.send({ recipients: [{ readers: '*' }] });
    await expect(server.send({ recipients: [{ readers: '*' }] })).rejects.toMatchObject({ status: 429, code: 'quota_exceeded' });

    const linkId = first.request.recipients[0]!.linkId;
    const sms = () => server.api('POST', `/api/v1/messages/${first.request.messageId}/sms`, { linkId, to: '070-123 45 67', text: `Meddelande: ${first.links[0]}` });
    expect((await sms()).status).toBe(202);
    expect(await codeOf(sms())).toEqual([429, 'quota_exceeded']);
    // Another sender has its own quota.
    const { token } = await createSender(server.deps.store.senders, 'Klinik', bankId.clock.now());
    const klinik = senderApi({ baseUrl: '', token, fetch: (path, init) => Promise.resolve(server.app.request(path, init)) });
    const sealed = await sealMessage({ origin, errand: 'Provsvar', text: 'Dina provsvar.', attachments: [], recipients: [{ readers: '*' }], receiptKey: server.receiptKeys.receiptKey });
    await createAndUpload(klinik, sealed, { uploads: 'stream' });

    bankId.clock.advance(86_400_000);
    await server.send({ recipients: [{ readers: '*' }] });
    expect((await sms()).status).toBe(202);
  });
});
