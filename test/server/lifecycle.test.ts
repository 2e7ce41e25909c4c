import { describe, expect, it } from 'vitest';
import { sealMessage } from '../../shared/seal-message.js';
import { purge } from '../../server/messages/expiry.js';
import { createSender, revokeSender, revokeToken } from '../../server/senders/senders.js';
import { Recipient, useServerPerTest } from './harness.js';
import { describeEachBackend } from './backends.js';

describeEachBackend('', (backend) => {
  const context = useServerPerTest(backend);

  const codeOf = async (response: Response | Promise<Response>) => {
    const answer = await response;
    return [answer.status, ((await answer.json()) as { error?: { code: string } }).error?.code];
  };

  describe('expiry and purging', () => {
    it('purges an expired message’s ciphertext and answers 410 link_expired', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }], expiresAt: new Date(context.bankId.clock.now() + 20 * 60_000).toISOString() });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      expect(await context.server.deps.blobs.size(sealed.request.messageId, 0)).toBe(sealed.payloads[0]!.length);
      context.bankId.clock.advance(20 * 60_000);
      await purge(context.server.deps);
      expect(await context.server.deps.blobs.size(sealed.request.messageId, 0)).toBeUndefined();
      expect(await codeOf(recipient.request(`/api/v1/links/${recipient.linkId}`))).toEqual([410, 'link_expired']);
      const status = (await (await context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`)).json()) as { state: string; errand: string };
      expect(status).toMatchObject({ state: 'expired', errand: '' });
    });

    it('deletes blobs whose message is gone, and keeps the others', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const { blobs } = context.server.deps;
      await blobs.put('T3JwaGFuT3JwaGFuT3JwaA', 2, 3, [new Uint8Array([1, 2, 3])]);
      await purge(context.server.deps);
      expect(await blobs.size('T3JwaGFuT3JwaGFuT3JwaA', 2)).toBeUndefined();
      expect(await blobs.size(sealed.request.messageId, 0)).toBe(sealed.payloads[0]!.length);
    });

    it('defaults to 30 days and keeps sender-chosen expiry within bounds', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const status = (await (await context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`)).json()) as { expiresAt: string };
      expect(Date.parse(status.expiresAt) - context.bankId.clock.now()).toBe(30 * 86_400_000);
      const tooFar = await context.server.send({ recipients: [{ readers: '*' }], expiresAt: new Date(context.bankId.clock.now() + 400 * 86_400_000).toISOString() }).catch((e: { code?: string }) => e.code);
      expect(tooFar).toBe('expiry_out_of_range');
    });

    it('removes uploads abandoned for a day', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }], attachments: [] });
      const body = { ...sealed.request, messageId: 'QUJBQUJBQUJBQUJBQUJBQQ', recipients: [{ linkId: 'QkJCQkJCQkJCQkJCQkJCQg', tags: '*' as const }] };
      expect((await context.server.api('POST', '/api/v1/messages', body)).status).toBe(201);
      context.bankId.clock.advance(24 * 3600_000);
      await purge(context.server.deps);
      expect(await context.server.rows('SELECT count(*) AS n FROM messages WHERE id = ?', body.messageId)).toMatchObject([{ n: 0 }]);
      expect(await context.server.rows('SELECT count(*) AS n FROM messages WHERE id = ?', sealed.request.messageId)).toMatchObject([{ n: 1 }]);
    });
  });

  describe('uploads', () => {
    it('counts each payload once and makes the message visible with the last one', async () => {
      const bytes = new Uint8Array(1000);
      const sealed = await sealMessage({
        origin: 'http://localhost:8787',
        errand: 'e',
        text: 't',
        attachments: [{ name: 'a', type: 'b', size: bytes.length, open: () => new Blob([bytes]).stream() }],
        recipients: [{ readers: '*' }],
        receiptKey: context.server.receiptKeys.receiptKey,
      });
      expect((await context.server.api('POST', '/api/v1/messages', sealed.request)).status).toBe(201);
      const put = async (index: number) =>
        context.server.app.request(`/api/v1/messages/${sealed.request.messageId}/payloads/${index}`, {
          method: 'PUT',
          body: new Uint8Array(await new Response(sealed.payloads[index]!.stream()).arrayBuffer()),
          headers: { authorization: `Bearer ${context.server.token}` },
        });
      const [first, second] = await Promise.all([put(1), put(1)]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const status = async () => (await (await context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`)).json()) as { state: string; payloadsStored: number };
      expect(await status()).toMatchObject({ state: 'uploading', payloadsStored: 1 });
      expect(await codeOf(context.server.app.request(`/api/v1/links/${sealed.request.recipients[0]!.linkId}`))).toEqual([404, 'link_not_found']);
      expect(await (await put(0)).json()).toEqual({ state: 'ready' });
      expect(await status()).toMatchObject({ state: 'ready', payloadsStored: 2 });
      expect((await context.server.app.request(`/api/v1/links/${sealed.request.recipients[0]!.linkId}`)).status).toBe(200);
    });
  });

  describe('senders and tokens', () => {
    it('refuses a revoked token and a revoked sender’s tokens', async () => {
      expect((await context.server.api('GET', '/api/v1/senders/me')).status).toBe(200);
      const { sender, token } = await createSender(context.server.deps.store.senders, 'Klinik', context.bankId.clock.now());
      expect(await (await context.server.api('GET', '/api/v1/senders/me', undefined, token)).json()).toEqual({ id: sender.id, name: 'Klinik', origin: context.server.deps.config.publicOrigin, maxMessageBytes: context.server.deps.config.maxMessageBytes });
      await revokeSender(context.server.deps, sender.id, context.bankId.clock.now());
      expect(await codeOf(context.server.api('GET', '/api/v1/senders/me', undefined, token))).toEqual([401, 'token_invalid']);
      await revokeToken(context.server.deps.store.senders, context.server.token, context.bankId.clock.now());
      expect(await codeOf(context.server.api('GET', '/api/v1/senders/me'))).toEqual([401, 'token_invalid']);
    });

    it('stores tokens only as hashes', async () => {
      const rows = await context.server.rows<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.token_hash).not.toContain(context.server.token.slice(4, 20));
    });
  });

  describe('SMS relay', () => {
    it('hands the text to the transport and keeps only a masked number', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const linkId = sealed.request.recipients[0]!.linkId;
      const text = `Du har ett säkert meddelande: ${sealed.links[0]}`;
      expect(await codeOf(context.server.api('POST', `/api/v1/messages/${sealed.request.messageId}/sms`, { linkId, to: '08-123 456 78', text }))).toEqual([400, 'phone_not_mobile']);
      expect(await codeOf(context.server.api('POST', `/api/v1/messages/${sealed.request.messageId}/sms`, { linkId, to: '0701234567', text: 'no link' }))).toEqual([400, 'sms_link_missing']);
      expect((await context.server.api('POST', `/api/v1/messages/${sealed.request.messageId}/sms`, { linkId, to: '070-123 45 67', text })).status).toBe(202);
      expect(context.server.outbox.entries().at(-1)).toMatchObject({ to: '+46701234567', text });
      const status = (await (await context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`)).json()) as { links: { deliveries: unknown[] }[] };
      expect(status.links[0]!.deliveries).toEqual([
        { deliveryId: expect.any(String), channel: 'sms', recipient: '+46…67', status: 'sent', reason: null, providerError: null, parts: 1, at: expect.any(String) },
      ]);
      const page = await (await context.server.app.request('/dev/outbox')).text();
      expect(page).toContain('+46701234567');
    });
  });

  describe('response headers', () => {
    it('every answer, error or not, carries nosniff and no-referrer', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      for (const response of [
        await context.server.app.request(`/api/v1/links/${sealed.request.recipients[0]!.linkId}`),
        await context.server.app.request('/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA'),
        await context.server.app.request('/api/v1/nothing'),
        await context.server.api('GET', '/api/v1/messages'),
      ]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      }
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every endpoint of the sender API and the recipient protocol', async () => {
      const document = (await (await context.server.app.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');
      const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
      expect(operations.sort()).toEqual(
        [
          'GET /api/v1/senders/me',
          'POST /api/v1/messages',
          'GET /api/v1/messages',
          'GET /api/v1/messages/{messageId}',
          'DELETE /api/v1/messages/{messageId}',
          'PUT /api/v1/messages/{messageId}/payloads/{index}',
          'GET /api/v1/messages/{messageId}/payloads/{index}',
          'PUT /api/v1/messages/{messageId}/payloads/{index}/chunks/{chunk}',
          'POST /api/v1/messages/{messageId}/sms',
          'POST /api/v1/messages/{messageId}/deliveries',
          'GET /api/v1/links/{linkId}',
          'GET /api/v1/links/{linkId}/payloads/{index}',
          'POST /api/v1/links/{linkId}/verifications',
          'GET /api/v1/verifications/{verificationId}',
          'DELETE /api/v1/verifications/{verificationId}',
          'POST /api/v1/delivery-reports/46elks/{deliveryId}',
          'POST /api/v1/delivery-reports/twilio/{deliveryId}',
          'POST /api/v1/webhooks',
          'GET /api/v1/webhooks',
          'DELETE /api/v1/webhooks/{endpointId}',
          'POST /api/v1/webhooks/{endpointId}/rotate',
          'POST /api/v1/webhooks/{endpointId}/enable',
          'POST /api/v1/webhooks/{endpointId}/test',
          'POST /api/v1/session/bankid',
          'GET /api/v1/session/bankid/{signInId}',
          'DELETE /api/v1/session/bankid/{signInId}',
          'POST /api/v1/session/passkey/options',
          'POST /api/v1/session/passkey',
          'DELETE /api/v1/session',
          'GET /api/v1/me',
          'POST /api/v1/me/passkeys/options',
          'POST /api/v1/me/passkeys',
          'DELETE /api/v1/me/passkeys/{passkeyId}',
          'PUT /api/v1/me/receipt-key',
          'GET /api/v1/users',
          'POST /api/v1/users',
          'PATCH /api/v1/users/{userId}',
          'DELETE /api/v1/users/{userId}',
          'GET /api/v1/tokens',
          'POST /api/v1/tokens',
          'DELETE /api/v1/tokens/{tokenId}',
        ].sort(),
      );
    });
  });
});
