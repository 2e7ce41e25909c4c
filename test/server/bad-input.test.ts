import { describe, expect, it } from 'vitest';
import { sealedLength } from '../../shared/stream.js';
import { Recipient, useServerPerTest } from './harness.js';
import { describeEachBackend } from './backends.js';

describeEachBackend('', (backend) => {
  const context = useServerPerTest(backend);

  /** Every bad request gets a 4xx with a stable code, and the context.server still serves. */
  async function expectRefused(response: Response | Promise<Response>, status: number, code: string) {
    const answer = await response;
    const body = (await answer.json()) as { error?: { code: string; message: string } };
    expect([answer.status, body.error?.code]).toEqual([status, code]);
    expect(typeof body.error?.message).toBe('string');
    expect((await context.server.app.request('/api/openapi.json')).status).toBe(200);
  }

  const request = (method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    context.server.app.request(path, { method, body, headers: { authorization: `Bearer ${context.server.token}`, 'content-type': 'application/json', ...headers } });

  function createBody(overrides: Record<string, unknown> = {}) {
    return {
      messageId: 'AAAAAAAAAAAAAAAAAAAAAA',
      errand: 'A'.repeat(43),
      authVerifier: 'A'.repeat(43),
      receiptKey: 'A'.repeat(43),
      payloads: [{ index: 0, length: 100 }],
      recipients: [{ linkId: 'BBBBBBBBBBBBBBBBBBBBBA', tags: '*' }],
      ...overrides,
    };
  }

  describe('bad input gets a 4xx with a stable code', () => {
    it('malformed JSON, wrong types, unknown fields', async () => {
      await expectRefused(request('POST', '/api/v1/messages', '{"messageId": '), 400, 'invalid_json');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ payloads: 'many' }))), 400, 'invalid_request');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ readLimit: -1 }))), 400, 'invalid_request');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ surprise: 1 }))), 400, 'invalid_request');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify([1, 2])), 400, 'invalid_request');
    });

    it('oversize bodies', async () => {
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ pad: 'x'.repeat(300_000) }))), 413, 'body_too_large');
      const huge = [{ index: 0, length: sealedLength(101 * 1024 * 1024) }];
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ payloads: huge }))), 413, 'message_too_large');
    });

    it('non-canonical base64url and impossible lengths', async () => {
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ messageId: 'AAAAAAAAAAAAAAAAAAAAAB' }))), 400, 'message_id_invalid');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ authVerifier: `${'A'.repeat(42)}B` }))), 400, 'auth_verifier_invalid');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ payloads: [{ index: 0, length: 65_553 }] }))), 400, 'payload_length_invalid');
      await expectRefused(request('POST', '/api/v1/messages', JSON.stringify(createBody({ payloads: [{ index: 1, length: 100 }] }))), 400, 'payloads_invalid');
      await expectRefused(context.server.app.request('/api/v1/links/AAAAAAAAAAAAAAAAAAAAAB'), 400, 'link_id_invalid');
    });

    it('unknown ids and endpoints', async () => {
      await expectRefused(context.server.app.request('/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'link_not_found');
      await expectRefused(context.server.app.request('/api/v1/verifications/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'verification_not_found');
      await expectRefused(context.server.app.request('/api/v1/verifications/nonsense'), 404, 'verification_not_found');
      await expectRefused(context.server.api('GET', '/api/v1/messages/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'message_not_found');
      await expectRefused(context.server.app.request('/api/v1/nothing'), 404, 'not_found');
      await expectRefused(context.server.api('GET', '/api/v1/messages', undefined, 'sgl_wrong'), 401, 'token_invalid');
      await expectRefused(context.server.app.request('/api/v1/messages'), 401, 'token_missing');
    });

    it('a sender sees only its own messages', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const { createSender } = await import('../../server/senders/senders.js');
      const other = (await createSender(context.server.deps.store.senders, 'Someone else', context.bankId.clock.now())).token;
      await expectRefused(context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`, undefined, other), 404, 'message_not_found');
      await expectRefused(context.server.api('DELETE', `/api/v1/messages/${sealed.request.messageId}`, undefined, other), 404, 'message_not_found');
      const list = (await (await context.server.api('GET', '/api/v1/messages', undefined, other)).json()) as { messages: unknown[] };
      expect(list.messages).toEqual([]);
    });

    it('a 101 MiB upload is cut off at the declared length, and the message stays invisible', async () => {
      const length = sealedLength(1024 * 1024);
      const created = await context.server.api('POST', '/api/v1/messages', createBody({ payloads: [{ index: 0, length }] }));
      expect(created.status).toBe(201);
      let sent = 0;
      const chunk = new Uint8Array(1024 * 1024);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 101 * 1024 * 1024) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const upload = context.server.app.request('/api/v1/messages/AAAAAAAAAAAAAAAAAAAAAA/payloads/0', {
        method: 'PUT',
        body,
        headers: { authorization: `Bearer ${context.server.token}`, 'content-type': 'application/octet-stream' },
        duplex: 'half',
      } as RequestInit);
      await expectRefused(upload, 413, 'payload_too_large');
      expect(sent).toBeLessThan(10 * 1024 * 1024);
      await expectRefused(context.server.app.request('/api/v1/links/BBBBBBBBBBBBBBBBBBBBBA'), 404, 'link_not_found');
      const short = context.server.app.request('/api/v1/messages/AAAAAAAAAAAAAAAAAAAAAA/payloads/0', {
        method: 'PUT',
        body: new Uint8Array(10),
        headers: { authorization: `Bearer ${context.server.token}`, 'content-type': 'application/octet-stream' },
      });
      await expectRefused(short, 400, 'payload_length_mismatch');
      expect(await context.server.deps.blobs.size('AAAAAAAAAAAAAAAAAAAAAA', 0)).toBeUndefined();
    });

    it('duplicate ids and uploads are conflicts, not errors', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      await expectRefused(context.server.api('POST', '/api/v1/messages', sealed.request), 409, 'message_exists');
      const again = { ...sealed.request, messageId: 'CCCCCCCCCCCCCCCCCCCCCA' };
      await expectRefused(context.server.api('POST', '/api/v1/messages', again), 409, 'link_exists');
      const upload = context.server.app.request(`/api/v1/messages/${sealed.request.messageId}/payloads/0`, {
        method: 'PUT',
        body: new Uint8Array(sealed.payloads[0]!.length),
        headers: { authorization: `Bearer ${context.server.token}`, 'content-type': 'application/octet-stream' },
      });
      await expectRefused(upload, 409, 'message_not_uploading');
    });

    it('bad verification starts: wrong key types, malformed numbers, too many tries', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      const start = (body: unknown) =>
        recipient.request(`/api/v1/links/${recipient.linkId}/verifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await expectRefused(start({ authKey: 42 }), 400, 'invalid_request');
      await expectRefused(start({ authKey: 'not base64url!' }), 400, 'link_key_invalid');
      await expectRefused(start({ authKey: recipient.authKeyFor(sealed.request.messageId), personalNumber: '12345' }), 400, 'identity_number_format');
      for (let i = 0; i < context.server.deps.config.authKeyFailures; i++) await expectRefused(start({ authKey: 'A'.repeat(43) }), 403, 'link_key_invalid');
      // Past the link's limit a wrong key is refused as too many; the right one still starts (issue 15 item 6).
      const refused = start({ authKey: 'A'.repeat(43) });
      await expectRefused(refused, 429, 'too_many_attempts');
      expect(Number((await refused).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await start({ authKey: recipient.authKeyFor(sealed.request.messageId) })).status).toBe(201);
    });
  });
});
