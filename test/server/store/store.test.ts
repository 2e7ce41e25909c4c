import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMessage } from '../../../server/store/types.js';
import { StoreError } from '../../../server/store/errors.js';
import { openPostgresStore } from '../../../server/store/postgres/index.js';
import { postgresMigrations } from '../../../server/store/postgres/migrations.js';
import { freshDatabase } from '../../support/postgres.js';
import { describeEachBackend, type OpenedBackend } from '../backends.js';

/** The store's rules, on every back end: what each capability keeps and what happens once. */
const id = (n: number, prefix = 'm') => `${prefix}${String(n).padStart(21, '0')}`;
const now = 1_800_000_000_000;

function newMessage(n: number, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: id(n),
    senderId: 'sender-1',
    errand: 'sealed-errand',
    authVerifier: 'verifier',
    receiptKey: 'receipt-key',
    payloadLengths: [100, 200],
    readLimit: null,
    senderCopy: null,
    createdAt: now,
    expiresAt: now + 3600_000,
    links: [{ id: id(n, 'l'), readers: '*', label: null }],
    ...overrides,
  };
}

describeEachBackend('store', (backend) => {
  let dataDir: string;
  let opened: OpenedBackend;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigill-store-'));
    opened = await backend.open(dataDir);
    await opened.store.senders.create({ id: 'sender-1', name: 'Klinik', createdAt: now, revokedAt: null }, 'token-hash-1');
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps each link’s label and the message’s sender copy, and null when absent', async () => {
    const { store } = opened;
    await store.messages.create(
      newMessage(1, {
        senderCopy: 'sealed-copy',
        links: [
          { id: id(1, 'a'), readers: ['tag-1', 'tag-2'], label: 'sealed-label-a' },
          { id: id(1, 'b'), readers: '*', label: null },
        ],
      }),
    );
    const details = await store.messages.details(id(1));
    expect(details?.message).toMatchObject({ senderCopy: 'sealed-copy', state: 'uploading', payloadLengths: [100, 200], payloadsStored: 0 });
    expect(details?.links.map((link) => [link.id, link.label, link.readers])).toEqual([
      [id(1, 'a'), 'sealed-label-a', ['tag-1', 'tag-2']],
      [id(1, 'b'), null, '*'],
    ]);
    await store.messages.create(newMessage(2));
    expect((await store.messages.get(id(2)))?.senderCopy).toBeNull();
  });

  it('refuses a taken message id and a taken link id with their own codes, storing nothing', async () => {
    const { store } = opened;
    await store.messages.create(newMessage(1));
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'stored', (error: unknown) => (error instanceof StoreError ? error.code : String(error)));
    expect(await codeOf(store.messages.create(newMessage(1, { links: [{ id: id(9, 'l'), readers: '*', label: null }] })))).toBe('message_exists');
    expect(await codeOf(store.messages.create(newMessage(2, { links: [{ id: id(1, 'l'), readers: '*', label: null }] })))).toBe('link_exists');
    expect(await store.messages.exists(id(2))).toBe(false);
    expect(await store.links.get(id(9, 'l'))).toBeUndefined();
  });

  it('counts each payload index once, even when stored twice, and makes the message ready with the last', async () => {
    const { store } = opened;
    await store.messages.create(newMessage(1));
    const counted = await Promise.all([0, 0, 1, 1].map((index) => store.messages.countStoredPayload(id(1), index)));
    expect(counted.sort()).toEqual(['duplicate', 'duplicate', 'ready', 'uploading'].sort());
    expect(await store.messages.countStoredPayload(id(1), 0)).toBe('duplicate');
    expect(await store.messages.countStoredPayload(id(7), 0)).toBeUndefined();
    expect(await store.messages.get(id(1))).toMatchObject({ state: 'ready', payloadsStored: 2 });
    expect((await store.links.live(id(1, 'l')))?.state).toBe('ready');
  });

  it('with a read limit of 1, releases to exactly one of several concurrent approvals', async () => {
    const { store } = opened;
    await store.messages.create(newMessage(1, { readLimit: 1, payloadLengths: [100] }));
    await store.messages.countStoredPayload(id(1), 0);
    const linkId = id(1, 'l');
    const approvals = [1, 2, 3].map(async (n) => {
      const idHash = `verification-${n}`;
      await store.verifications.start({ idHash, linkId, browserHash: `browser-${n}`, sealed: 's', status: 'pending', hintCode: null, startedAt: now, lastCollectAt: now, expiresAt: now + 600_000 });
      return store.verifications.approve({
        idHash,
        linkId,
        messageId: id(1),
        readLimit: 1,
        sealed: 'approved-state',
        receipt: `receipt-${n}`,
        releaseToken: { tokenHash: `token-${n}`, linkId, browserHash: `browser-${n}`, expiresAt: now + 600_000 },
        now,
      });
    });
    const outcomes = await Promise.all(approvals);
    expect(outcomes.filter((o) => o === 'approved')).toHaveLength(1);
    const winner = outcomes.indexOf('approved') + 1;
    expect(await store.releaseTokens.find(`token-${winner}`)).toMatchObject({ linkId });
    for (const n of [1, 2, 3].filter((n) => n !== winner)) {
      expect(await store.releaseTokens.find(`token-${n}`)).toBeUndefined();
      expect((await store.verifications.get(`verification-${n}`))?.status).toBe('exhausted');
    }
    const details = await store.messages.details(id(1));
    expect(details?.links[0]?.reads).toBe(1);
    expect(details?.receipts.map((r) => r.sealed)).toEqual([`receipt-${winner}`]);
  });

  it('gives one BankID collect claim to one caller', async () => {
    const { store } = opened;
    await store.messages.create(newMessage(1));
    await store.verifications.start({ idHash: 'v', linkId: id(1, 'l'), browserHash: 'b', sealed: 's', status: 'pending', hintCode: null, startedAt: now, lastCollectAt: now, expiresAt: now + 1 });
    const claims = await Promise.all([1, 2, 3, 4].map(() => store.verifications.claimCollect('v', now, now + 2000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.verifications.claimCollect('v', now + 2000, now + 4000)).toBe(true);
  });

  it('counts rate limits atomically within a window, and starts a new window after it', async () => {
    const { store } = opened;
    const counts = await Promise.all(Array.from({ length: 10 }, () => store.rateLimits.take('start:ip:x', now, 60_000)));
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await store.rateLimits.count('start:ip:x', now + 1000, 60_000)).toBe(10);
    expect(await store.rateLimits.take('start:ip:x', now + 60_000, 60_000)).toBe(1);
    expect(await store.rateLimits.deleteBefore(now + 60_000)).toBe(1);
    expect(await store.rateLimits.count('start:ip:x', now + 60_000, 60_000)).toBe(0);
  });

  it('expires due messages once, forgetting their verifications and release tokens', async () => {
    const { store } = opened;
    await store.messages.create(newMessage(1, { payloadLengths: [100] }));
    await store.messages.countStoredPayload(id(1), 0);
    await store.messages.create(newMessage(2, { expiresAt: now + 7200_000 }));
    await store.verifications.start({ idHash: 'v', linkId: id(1, 'l'), browserHash: 'b', sealed: 's', status: 'pending', hintCode: null, startedAt: now, lastCollectAt: now, expiresAt: now + 9e9 });
    expect(await store.messages.expireDue(now + 3600_000)).toEqual([id(1)]);
    expect(await store.messages.expireDue(now + 3600_000)).toEqual([]);
    expect(await store.messages.get(id(1))).toMatchObject({ state: 'expired', errand: '' });
    expect(await store.verifications.get('v')).toBeUndefined();
    expect(await store.messages.listUnpurged()).toEqual([{ messageId: id(1), payloadCount: 1 }]);
    expect(await store.messages.listAbandoned(now)).toEqual([{ messageId: id(2), payloadCount: 2 }]);
    expect(await store.messages.deleteUploading(id(1))).toBe(false);
    expect(await store.messages.deleteUploading(id(2))).toBe(true);
  });

  it('makes one secret per database, the same for every caller', async () => {
    const secrets = await Promise.all([1, 2, 3].map(() => opened.store.meta.secret('rate_limit_key')));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps a live sender’s sealed Reply-To, clears it, and sets none on a revoked or unknown sender', async () => {
    const { store } = opened;
    expect(await store.senders.sealedReplyTo('sender-1')).toBeNull();
    expect(await store.senders.setSealedReplyTo('sender-1', 'sealed-address')).toBe(true);
    expect(await store.senders.sealedReplyTo('sender-1')).toBe('sealed-address');
    expect(await store.senders.setSealedReplyTo('sender-1', null)).toBe(true);
    expect(await store.senders.sealedReplyTo('sender-1')).toBeNull();
    expect(await store.senders.setSealedReplyTo('nobody', 'sealed-address')).toBe(false);
    await store.senders.revoke('sender-1', now);
    expect(await store.senders.setSealedReplyTo('sender-1', 'sealed-address')).toBe(false);
  });

  it('revokes a sender and its tokens at once, and a token alone', async () => {
    const { store } = opened;
    expect((await store.senders.byToken('token-hash-1'))?.name).toBe('Klinik');
    expect(await store.senders.addToken('sender-1', 'token-hash-2', now)).toBe(true);
    expect(await store.senders.addToken('nobody', 'token-hash-3', now)).toBe(false);
    expect(await store.senders.list()).toEqual([{ id: 'sender-1', name: 'Klinik', createdAt: now, revokedAt: null, tokens: 2 }]);
    expect(await store.senders.revokeToken('token-hash-2', now)).toBe(true);
    expect(await store.senders.revokeToken('token-hash-2', now)).toBe(false);
    expect(await store.senders.revoke('sender-1', now)).toBe(true);
    expect(await store.senders.byToken('token-hash-1')).toBeUndefined();
    expect(await store.senders.count()).toBe(1);
  });
});

describe('[postgres] migrations', () => {
  it('several processes opening one new database together apply each migration once', async () => {
    const database = await freshDatabase();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(database.url)));
      const [first] = stores;
      expect((await first!.pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows).toEqual(postgresMigrations.map((_, index) => ({ version: index + 1 })));
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await database.drop();
    }
  });
});
