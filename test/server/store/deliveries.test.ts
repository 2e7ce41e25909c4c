import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NewDelivery } from '../../../server/store/types.js';
import { messageStatus } from '../../../server/messages/status.js';
import { interruptStaleDeliveries } from '../../../server/delivery/advance.js';
import { describeEachBackend, type OpenedBackend } from '../backends.js';

/** SMS deliveries on every back end: states only move forward, reports find their delivery, stale hand-overs become interrupted. */
const id = (n: number, prefix: string) => `${prefix}${String(n).padStart(21, '0')}`;
const now = 1_800_000_000_000;

describeEachBackend('deliveries', (backend) => {
  let dataDir: string;
  let opened: OpenedBackend;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigill-deliveries-'));
    opened = await backend.open(dataDir);
    await opened.store.senders.create({ id: 'sender-1', name: 'Klinik', createdAt: now, revokedAt: null }, 'token-hash-1');
    await opened.store.messages.create({
      id: id(1, 'm'),
      senderId: 'sender-1',
      errand: 'sealed-errand',
      authVerifier: 'verifier',
      receiptKey: 'receipt-key',
      payloadLengths: [1],
      readLimit: null,
      senderCopy: null,
      createdAt: now,
      expiresAt: now + 3600_000,
      links: [{ id: id(1, 'l'), readers: '*', label: null }],
    });
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const delivery = (deliveryId: string, overrides: Partial<NewDelivery> = {}): NewDelivery => ({
    deliveryId,
    linkId: id(1, 'l'),
    channel: 'sms',
    recipientHint: '+46…67',
    provider: '46elks',
    reportTokenHash: 'token-hash',
    parts: 2,
    leaseUntil: now + 60_000,
    at: now,
    ...overrides,
  });
  const deliveries = async () => (await opened.store.messages.details(id(1, 'm')))!.deliveries;

  it('moves a delivery only forward: pending, sent, then one final state', async () => {
    const { store } = opened;
    await store.deliveries.start(delivery('d1'));
    expect(await deliveries()).toEqual([
      { deliveryId: 'd1', linkId: id(1, 'l'), channel: 'sms', recipientHint: '+46…67', status: 'pending', reason: null, providerError: null, parts: 2, leaseUntil: now + 60_000, at: now },
    ]);
    expect(await store.deliveries.advance('d1', { status: 'sent', providerRefHash: 'ref-hash', parts: 3 }, now + 1)).toBe(true);
    expect(await store.deliveries.advance('d1', { status: 'sent' }, now + 2)).toBe(false);
    expect(await store.deliveries.advance('d1', { status: 'failed', reason: 'provider_report', providerError: '30003' }, now + 3)).toBe(true);
    expect(await store.deliveries.advance('d1', { status: 'delivered' }, now + 4)).toBe(false);
    expect(await store.deliveries.advance('d1', { status: 'sent' }, now + 5)).toBe(false);
    expect(await store.deliveries.advance('nobody', { status: 'sent' }, now + 5)).toBe(false);
    expect(await deliveries()).toEqual([
      { deliveryId: 'd1', linkId: id(1, 'l'), channel: 'sms', recipientHint: '+46…67', status: 'failed', reason: 'provider_report', providerError: '30003', parts: 3, leaseUntil: null, at: now + 3 },
    ]);
    expect(await store.deliveries.reportTarget('d1')).toEqual({
      deliveryId: 'd1',
      provider: '46elks',
      reportTokenHash: 'token-hash',
      providerRefHash: 'ref-hash',
      status: 'failed',
      channel: 'sms',
      linkId: id(1, 'l'),
      messageId: id(1, 'm'),
      senderId: 'sender-1',
    });
    expect(await store.deliveries.reportTarget('nobody')).toBeUndefined();
  });

  it('queues the webhook jobs given with a move in its transaction, and none when it does not move', async () => {
    const { store } = opened;
    const url = 'https://hooks.example.se/a';
    await store.webhooks.createEndpoint({ id: 'ep_1', senderId: 'sender-1', url, events: [], sealedSecrets: 'sealed', enabled: true, failureCount: 0, lastFailureAt: null, lastFailure: null, createdAt: now });
    await store.deliveries.start(delivery('d3'));
    const job = (n: number) => [{ id: `msg_${n}`, endpointId: 'ep_1', body: `{"n":${n}}`, createdAt: now }];
    expect(await store.deliveries.advance('d3', { status: 'delivered' }, now + 1, job(1))).toBe(true);
    expect(await store.deliveries.advance('d3', { status: 'delivered' }, now + 2, job(2))).toBe(false);
    expect(await store.deliveries.advance('d3', { status: 'failed' }, now + 2, job(3))).toBe(false);
    expect(await store.webhooks.getJob('msg_1')).toMatchObject({ endpointId: 'ep_1', attempts: 0 });
    expect(await store.webhooks.getJob('msg_2')).toBeUndefined();
    expect(await store.webhooks.getJob('msg_3')).toBeUndefined();
    // A job that cannot be stored (its id is taken) undoes the move with it.
    await store.deliveries.start(delivery('d4'));
    await expect(store.deliveries.advance('d4', { status: 'sent' }, now + 3, job(1))).rejects.toThrow();
    expect((await store.deliveries.reportTarget('d4'))?.status).toBe('pending');
  });

  it('of two reports racing to move one delivery, exactly one does', async () => {
    await opened.store.deliveries.start(delivery('d2'));
    const moved = await Promise.all([
      opened.store.deliveries.advance('d2', { status: 'delivered' }, now + 1),
      opened.store.deliveries.advance('d2', { status: 'failed', reason: 'provider_report' }, now + 1),
      opened.store.deliveries.advance('d2', { status: 'delivered' }, now + 1),
    ]);
    expect(moved.filter(Boolean)).toHaveLength(1);
  });

  it('marks pending deliveries whose lease ended as failed, interrupted, and leaves the others', async () => {
    const { store } = opened;
    await store.deliveries.start(delivery('stale', { leaseUntil: now + 10 }));
    await store.deliveries.start(delivery('live', { leaseUntil: now + 60_000 }));
    await store.deliveries.start(delivery('done', { leaseUntil: now + 10 }));
    await store.deliveries.advance('done', { status: 'sent' }, now + 5);
    const details = (await store.messages.details(id(1, 'm')))!;
    // Before the purge stores it, the sender's status already shows the stale one as interrupted.
    const shown = messageStatus(details, now + 11).links[0]!.deliveries.map((d) => [d.deliveryId, d.status, d.reason]);
    expect(shown).toEqual([
      ['stale', 'failed', 'interrupted'],
      ['live', 'pending', null],
      ['done', 'sent', null],
    ]);
    expect((await store.deliveries.stale(now + 11)).map((target) => target.deliveryId)).toEqual(['stale']);
    // With an endpoint, each interrupted delivery queues its delivery.failed (errorCode interrupted), once.
    await store.webhooks.createEndpoint({ id: 'ep_i', senderId: 'sender-1', url: 'https://hooks.example.se/i', events: [], sealedSecrets: 'sealed', enabled: true, failureCount: 0, lastFailureAt: null, lastFailure: null, createdAt: now });
    expect(await interruptStaleDeliveries(store, now + 11)).toBe(1);
    expect(await interruptStaleDeliveries(store, now + 12)).toBe(0);
    const events = (await store.webhooks.claim('test', now + 13, now + 60_000, 10)).map((job) => JSON.parse(job.body) as { type: string; data: Record<string, string> });
    expect(events).toEqual([{ type: 'delivery.failed', timestamp: expect.any(String), data: { messageId: id(1, 'm'), linkId: id(1, 'l'), channel: 'sms', errorCode: 'interrupted' } }]);
    expect((await deliveries()).map((d) => [d.deliveryId, d.status, d.reason])).toEqual([
      ['stale', 'failed', 'interrupted'],
      ['live', 'pending', null],
      ['done', 'sent', null],
    ]);
    // An interrupted delivery is final: a late acceptance cannot revive it.
    expect(await store.deliveries.advance('stale', { status: 'sent' }, now + 13)).toBe(false);
  });
});
