import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openLibsqlStore } from '../../../server/store/libsql/index.js';
import { openPostgresStore } from '../../../server/store/postgres/index.js';
import type { WebhookEndpointRecord } from '../../../server/store/webhook-types.js';
import { describeEachBackend, type OpenedBackend } from '../backends.js';

/** The webhook outbox's rules on every back end: a job is leased to one owner at a time, and only the owner records its outcome. */
const now = 1_800_000_000_000;
const endpoint = (id: string, overrides: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
  id,
  senderId: 'sender-1',
  url: 'https://hooks.example.se/a',
  events: [],
  sealedSecrets: 'sealed',
  enabled: true,
  failureCount: 0,
  lastFailureAt: null,
  lastFailure: null,
  createdAt: now,
  ...overrides,
});
const jobs = (count: number, endpointId = 'ep_1') =>
  Array.from({ length: count }, (_, n) => ({ id: `msg_${endpointId}_${n}`, endpointId, body: `{"n":${n}}`, createdAt: now }));

describeEachBackend('webhook store', (backend) => {
  let dataDir: string;
  let opened: OpenedBackend;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigill-webhook-store-'));
    opened = await backend.open(dataDir);
    await opened.store.senders.create({ id: 'sender-1', name: 'Klinik', createdAt: now, revokedAt: null }, 'token-hash-1');
    await opened.store.senders.create({ id: 'sender-2', name: 'Annan', createdAt: now, revokedAt: null }, 'token-hash-2');
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps endpoints per sender: another sender can neither see, rotate nor delete them', async () => {
    const { webhooks } = opened.store;
    await webhooks.createEndpoint(endpoint('ep_1', { events: ['link.read'] }));
    expect(await webhooks.listEndpoints('sender-1')).toEqual([endpoint('ep_1', { events: ['link.read'] })]);
    expect(await webhooks.listEndpoints('sender-2')).toEqual([]);
    expect(await webhooks.getEndpoint('sender-2', 'ep_1')).toBeUndefined();
    expect(await webhooks.setSecrets('sender-2', 'ep_1', 'other')).toBe(false);
    expect(await webhooks.deleteEndpoint('sender-2', 'ep_1')).toBe(false);
    expect(await webhooks.setSecrets('sender-1', 'ep_1', 'rotated')).toBe(true);
    expect((await webhooks.getEndpoint('sender-1', 'ep_1'))?.sealedSecrets).toBe('rotated');
    await webhooks.enqueue(jobs(2));
    expect(await webhooks.deleteEndpoint('sender-1', 'ep_1')).toBe(true);
    expect(await webhooks.getJob('msg_ep_1_0')).toBeUndefined();
  });

  it('leases a due job to one claimer until the lease ends, then to another', async () => {
    const { webhooks } = opened.store;
    await webhooks.createEndpoint(endpoint('ep_1'));
    await webhooks.enqueue(jobs(1));
    const [first] = await webhooks.claim('owner-a', now, now + 60_000, 10);
    expect(first).toMatchObject({ id: 'msg_ep_1_0', endpointId: 'ep_1', url: 'https://hooks.example.se/a', sealedSecrets: 'sealed', body: '{"n":0}', attempts: 0 });
    expect(await webhooks.claim('owner-b', now + 59_999, now + 120_000, 10)).toEqual([]);
    expect(await webhooks.claim('owner-b', now + 60_001, now + 120_000, 10)).toHaveLength(1);
    // The first owner's lease ended: its late outcome is not recorded.
    expect(await webhooks.delivered('msg_ep_1_0', 'owner-a', now + 60_002)).toBe(false);
    expect(await webhooks.delivered('msg_ep_1_0', 'owner-b', now + 60_002)).toBe(true);
    expect(await webhooks.getJob('msg_ep_1_0')).toMatchObject({ attempts: 1, deliveredAt: now + 60_002 });
    expect(await webhooks.claim('owner-c', now + 999_999, now + 2_000_000, 10)).toEqual([]);
    expect(await webhooks.forgetFinished(now + 60_002)).toBe(0);
    expect(await webhooks.forgetFinished(now + 60_003)).toBe(1);
    expect(await webhooks.getJob('msg_ep_1_0')).toBeUndefined();
  });

  it('schedules a failed attempt, and disables the endpoint when the last one fails', async () => {
    const { webhooks } = opened.store;
    await webhooks.createEndpoint(endpoint('ep_1'));
    await webhooks.enqueue(jobs(2));
    await webhooks.claim('owner', now, now + 60_000, 1);
    expect(await webhooks.failed('msg_ep_1_0', 'owner', 'http_500', now, now + 5_000)).toBe(true);
    expect(await webhooks.getJob('msg_ep_1_0')).toMatchObject({ attempts: 1, nextAttemptAt: now + 5_000, failedAt: null });
    expect(await webhooks.getEndpoint('sender-1', 'ep_1')).toMatchObject({ enabled: true, failureCount: 1, lastFailure: 'http_500', lastFailureAt: now });
    expect((await webhooks.claim('owner', now + 4_999, now + 60_000, 10)).map((job) => job.id)).toEqual(['msg_ep_1_1']);
    const [retry] = await webhooks.claim('owner', now + 5_000, now + 65_000, 10);
    expect(retry).toMatchObject({ id: 'msg_ep_1_0', attempts: 1 });
    expect(await webhooks.failed('msg_ep_1_0', 'owner', 'timeout', now + 5_000, null)).toBe(true);
    expect(await webhooks.getJob('msg_ep_1_0')).toMatchObject({ attempts: 2, failedAt: now + 5_000 });
    expect(await webhooks.getEndpoint('sender-1', 'ep_1')).toMatchObject({ enabled: false, failureCount: 2, lastFailure: 'timeout' });
    // A disabled endpoint's jobs wait; enabling it resets the count and lets them go.
    await webhooks.failed('msg_ep_1_1', 'owner', 'http_500', now, now);
    expect(await webhooks.claim('owner', now + 100_000, now + 200_000, 10)).toEqual([]);
    expect(await webhooks.enable('sender-1', 'ep_1')).toBe(true);
    expect((await webhooks.claim('owner', now + 100_000, now + 200_000, 10)).map((job) => job.id)).toEqual(['msg_ep_1_1']);
    expect(await webhooks.getEndpoint('sender-1', 'ep_1')).toMatchObject({ enabled: true, failureCount: 0 });
  });

  it('never gives one job to two processes claiming at once on one database', async () => {
    const { webhooks } = opened.store;
    await webhooks.createEndpoint(endpoint('ep_1'));
    await webhooks.enqueue(jobs(60));
    // A second connection, as a second server process has.
    const second = opened.env.SIGILL_DATABASE_URL ? await openPostgresStore(opened.env.SIGILL_DATABASE_URL) : openLibsqlStore(dataDir);
    const other = second.webhooks;
    const rounds = await Promise.all(
      Array.from({ length: 6 }, (_, n) => (n % 2 === 0 ? webhooks : other).claim(`owner-${n}`, now, now + 60_000, 15)),
    );
    const ids = rounds.flat().map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(60);
    await second.close();
  });
});
