import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../shared/base64url.js';
import { openReceipt } from '../../shared/receipts.js';
import { Recipient, useServerPerTest, verifyAs, type TestServer } from './harness.js';
import { describeEachBackend } from './backends.js';

const anna = '199908072391';
const per = '196802020575';
const alva = '200211242383';

describeEachBackend('', (backend) => {
  const context = useServerPerTest(backend);

  async function collectBytes(response: Response): Promise<Uint8Array> {
    return new Uint8Array(await response.arrayBuffer());
  }

  async function storedCiphertext(sealed: Awaited<ReturnType<TestServer['send']>>, index: number): Promise<Uint8Array> {
    const payload = sealed.payloads.find((p) => p.index === index)!;
    return new Uint8Array(await new Response(payload.stream()).arrayBuffer());
  }

  describe('recipient protocol (PROTOCOL.md §8)', () => {
    it('releases the exact ciphertext to an authorized identity after BankID, and seals a receipt to the sender', async () => {
      const attachment = new Uint8Array(200_000).map((_, i) => i % 251);
      const sealed = await context.server.send({
        recipients: [{ readers: [`se-pnr:${anna}`] }],
        attachments: [{ name: 'avtal.pdf', type: 'application/pdf', size: attachment.length, open: () => new Blob([attachment]).stream() }],
      });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);

      const linkResponse = await recipient.request(`/api/v1/links/${recipient.linkId}`);
      expect(linkResponse.status).toBe(200);
      const info = (await linkResponse.json()) as { messageId: string; errand: string; sender: { name: string }; payloads: { index: number; length: number }[] };
      expect(info.sender.name).toBe('Bostadsbolaget');
      expect(info.errand).toBe(sealed.request.errand);
      expect(info.payloads).toEqual(sealed.request.payloads);

      const { verificationId, state } = await verifyAs(context.server, context.bankId, recipient, anna);
      expect(state).toMatchObject({ status: 'approved', name: 'Test Testsson' });
      const releaseToken = (state as { releaseToken: string }).releaseToken;
      expect(releaseToken).toMatch(/^[A-Za-z0-9_-]{22}$/);

      for (const index of [0, 1]) {
        const response = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/${index}`, { headers: { authorization: `Bearer ${releaseToken}` } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/octet-stream');
        expect(Buffer.from(await collectBytes(response)).equals(Buffer.from(await storedCiphertext(sealed, index)))).toBe(true);
      }
      // Polling again answers the same, without a second BankID collect deciding anything.
      expect(await recipient.poll(verificationId)).toEqual(state);

      const status = (await (await context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`)).json()) as {
        links: { readAt: string | null; reads: number; openedAt: string | null }[];
        receipts: { linkId: string; receipt: string }[];
      };
      expect(status.links[0]).toMatchObject({ reads: 1 });
      expect(status.links[0]!.readAt).not.toBeNull();
      expect(status.links[0]!.openedAt).not.toBeNull();
      expect(status.receipts).toHaveLength(1);
      const receipt = await openReceipt(context.server.receiptKeys.privateKey, decodeBase64url(sealed.request.messageId), decodeBase64url(status.receipts[0]!.receipt));
      expect(receipt).toMatchObject({ linkId: recipient.linkId, identity: `se-pnr:${anna}`, name: 'Test Testsson' });
    });

    it('denies an identity the sender did not name, never gives it a release token, and counts the attempt', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: [`se-pnr:${anna}`] }] });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      const { verificationId, state } = await verifyAs(context.server, context.bankId, recipient, per);
      expect(state).toEqual({ status: 'denied' });
      expect(JSON.stringify(await recipient.poll(verificationId))).not.toContain('releaseToken');
      expect(await context.server.rows('SELECT count(*) AS n FROM release_tokens')).toMatchObject([{ n: 0 }]);
      const status = (await (await context.server.api('GET', `/api/v1/messages/${sealed.request.messageId}`)).json()) as { links: { deniedAttempts: number; reads: number }[]; receipts: unknown[] };
      expect(status.links[0]).toMatchObject({ deniedAttempts: 1, reads: 0 });
      expect(status.receipts).toHaveLength(0);
    });

    it('refuses a wrong authKey with 403 before any BankID order exists', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      const before = context.bankId.simulator.testApp.pendingOrders().length;
      const response = await recipient.request(`/api/v1/links/${recipient.linkId}/verifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authKey: 'A'.repeat(43) }),
      });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('link_key_invalid');
      expect(context.bankId.simulator.testApp.pendingOrders().length).toBe(before);
    });

    it('lets anyone read a wildcard link, and anyone matching a leading part', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }, { readers: ['se-pnr:1968*'] }, { readers: ['se-pnr:19680202*'] }] });
      expect((await verifyAs(context.server, context.bankId, new Recipient(context.server.app, sealed.links[0]!), alva)).state.status).toBe('approved');
      expect((await verifyAs(context.server, context.bankId, new Recipient(context.server.app, sealed.links[1]!), per)).state.status).toBe('approved');
      expect((await verifyAs(context.server, context.bankId, new Recipient(context.server.app, sealed.links[2]!), anna)).state.status).toBe('denied');
    });

    it('passes a given personal number to BankID as a requirement, and refuses a malformed one', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      const bad = await recipient.start(sealed.request.messageId, '19990807-2392');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('identity_number_checksum');
      const started = await recipient.start(sealed.request.messageId, '990807-2391');
      expect(started.status).toBe(201);
      const orders = context.bankId.simulator.testApp.pendingOrders();
      expect(orders.at(-1)!.requiredPersonalNumber).toBe(anna);
    });

    it('answers 410 with its code for an expired, a revoked and an exhausted link', async () => {
      const expiring = await context.server.send({ recipients: [{ readers: '*' }], expiresAt: new Date(context.bankId.clock.now() + 3600_000).toISOString() });
      const revoked = await context.server.send({ recipients: [{ readers: '*' }] });
      const limited = await context.server.send({ recipients: [{ readers: '*' }], readLimit: 1 });
      const codeOf = async (link: string) => {
        const recipient = new Recipient(context.server.app, link);
        const response = await recipient.request(`/api/v1/links/${recipient.linkId}`);
        return [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
      };
      expect((await context.server.api('DELETE', `/api/v1/messages/${revoked.request.messageId}`)).status).toBe(200);
      expect(await codeOf(revoked.links[0]!)).toEqual([410, 'link_revoked']);
      expect(await context.server.deps.blobs.size(revoked.request.messageId, 0)).toBeUndefined();

      expect((await verifyAs(context.server, context.bankId, new Recipient(context.server.app, limited.links[0]!), anna)).state.status).toBe('approved');
      expect(await codeOf(limited.links[0]!)).toEqual([410, 'link_exhausted']);

      context.bankId.clock.advance(3600_000);
      expect(await codeOf(expiring.links[0]!)).toEqual([410, 'link_expired']);
      expect(await codeOf('http://localhost:8787/o/AAAAAAAAAAAAAAAAAAAAAA#' + 'A'.repeat(43))).toEqual([404, 'link_not_found']);
    });

    it('refuses a release token for another link, from another browser, and after it expires', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }, { readers: '*' }] });
      const first = new Recipient(context.server.app, sealed.links[0]!);
      const second = new Recipient(context.server.app, sealed.links[1]!);
      const { state } = await verifyAs(context.server, context.bankId, first, anna);
      const token = (state as { releaseToken: string }).releaseToken;
      const fetchAs = (recipient: Recipient, linkId: string) =>
        recipient.request(`/api/v1/links/${linkId}/payloads/0`, { headers: { authorization: `Bearer ${token}` } });

      expect((await fetchAs(first, first.linkId)).status).toBe(200);
      expect((await fetchAs(first, second.linkId)).status).toBe(401);
      const otherBrowser = new Recipient(context.server.app, sealed.links[0]!);
      expect((await fetchAs(otherBrowser, first.linkId)).status).toBe(401);
      context.bankId.clock.advance(context.server.deps.config.releaseTokenMs);
      const expired = await fetchAs(first, first.linkId);
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('release_token_invalid');
    });

    it('calls BankID collect at most once per interval however often the page polls', async () => {
      const calls: string[] = [];
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      const started = await recipient.start(sealed.request.messageId);
      const { verificationId } = (await started.json()) as { verificationId: string };
      const collect = context.server.deps.bankId.collect.bind(context.server.deps.bankId);
      context.server.deps.bankId.collect = async (orderRef) => {
        calls.push('collect');
        return collect(orderRef);
      };
      for (let i = 0; i < 10; i++) {
        const state = await recipient.poll(verificationId);
        expect(state.status).toBe('pending');
        expect((state as { qr: string }).qr).toMatch(/^bankid\.[^.]+\.\d+\.[0-9a-f]{64}$/);
        context.bankId.clock.advance(500);
      }
      // 10 polls over 5 s: collect at 2 s and 4 s only.
      expect(calls).toHaveLength(2);
    });

    it('cancels the BankID order on DELETE and forgets the verification', async () => {
      const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
      const recipient = new Recipient(context.server.app, sealed.links[0]!);
      const { verificationId } = (await (await recipient.start(sealed.request.messageId)).json()) as { verificationId: string };
      const pending = context.bankId.simulator.testApp.pendingOrders().length;
      expect((await recipient.request(`/api/v1/verifications/${verificationId}`, { method: 'DELETE' })).status).toBe(204);
      expect(context.bankId.simulator.testApp.pendingOrders().length).toBe(pending - 1);
      expect((await recipient.request(`/api/v1/verifications/${verificationId}`)).status).toBe(404);
    });
  });
});
