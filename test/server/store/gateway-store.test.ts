import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachBackend, type OpenedBackend } from '../backends.js';

/** The mail gateway's records on every back end: allowed From addresses, and each mail claimed once with its progress. */
const now = 1_800_000_000_000;
const minute = 60_000;
const mailKey = 'k'.repeat(43);

describeEachBackend('gateway store', (backend) => {
  let dataDir: string;
  let opened: OpenedBackend;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigill-gateway-store-'));
    opened = await backend.open(dataDir);
    await opened.store.senders.create({ id: 'sender-1', name: 'Bostad', createdAt: now, revokedAt: null }, 'token-hash-1');
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('maps an allowed From address (by its hash) to its live sender, replaces and removes the mapping', async () => {
    const { gateway, senders } = opened.store;
    expect(await gateway.senderByAddress('h1')).toBeUndefined();
    await gateway.allow({ addressHash: 'h1', senderId: 'sender-1', userId: null, receiptKey: 'key-a', createdAt: now });
    await gateway.allow({ addressHash: 'h1', senderId: 'sender-1', userId: null, receiptKey: 'key-b', createdAt: now + 1 });
    expect(await gateway.senderByAddress('h1')).toEqual({ addressHash: 'h1', senderId: 'sender-1', userId: null, receiptKey: 'key-b', createdAt: now + 1 });
    await senders.revoke('sender-1', now + 2);
    expect(await gateway.senderByAddress('h1')).toBeUndefined(); // a revoked sender sends nothing
    expect(await gateway.disallow('h1')).toBe(true);
    expect(await gateway.disallow('h1')).toBe(false);
  });

  it('claims a mail once: a second attempt finds it open, a retry after release goes on from its progress, and a done mail stays done', async () => {
    const { gateway } = opened.store;
    const claims = await Promise.all([1, 2, 3].map(() => gateway.claimMail(mailKey, 'sender-1', now, now - 10 * minute)));
    expect(claims.map((c) => c.state).sort()).toEqual(['new', 'open', 'open']);
    expect(await gateway.recordMail(mailKey, { messageIds: ['m1'], delivered: [1], done: false }, now + 1)).toBe(true);
    await gateway.releaseMail(mailKey);
    expect(await gateway.claimMail(mailKey, 'sender-1', now + 2, now + 2 - 10 * minute)).toEqual({ state: 'new', messageIds: ['m1'], delivered: [1] });
    expect(await gateway.recordMail(mailKey, { messageIds: ['m1', 'm2'], delivered: [0, 1], done: true }, now + 3)).toBe(true);
    expect((await gateway.claimMail(mailKey, 'sender-1', now + 4, now + 4)).state).toBe('done');
    expect(await gateway.recordMail(mailKey, { messageIds: [], delivered: [], done: false }, now + 5)).toBe(false);
  });

  it('takes over an open mail whose attempt went silent, but not one still at work', async () => {
    const { gateway } = opened.store;
    expect((await gateway.claimMail(mailKey, 'sender-1', now, now - 10 * minute)).state).toBe('new');
    expect((await gateway.claimMail(mailKey, 'sender-1', now + minute, now + minute - 10 * minute)).state).toBe('open');
    expect((await gateway.claimMail(mailKey, 'sender-1', now + 11 * minute, now + minute)).state).toBe('new');
  });
});
