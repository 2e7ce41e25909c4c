import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PasskeyRecord, UserRecord } from '../../../server/store/account-types.js';
import { StoreError } from '../../../server/store/errors.js';
import { describeEachBackend, type OpenedBackend } from '../backends.js';

/** The accounts store's rules on every back end: once-only changes are one conditional statement each. */
const now = 1_800_000_000_000;
const user = (id: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
  id,
  senderId: 'sender-1',
  name: 'Alva',
  role: 'member',
  pnrHash: `hash-${id}`,
  createdAt: now,
  ...overrides,
});
const passkey = (id: string, userId: string, counter = 0): PasskeyRecord => ({
  id,
  userId,
  name: 'Laptop',
  publicKey: 'pk',
  counter,
  transports: ['internal'],
  prf: true,
  createdAt: now,
  lastUsedAt: null,
});

describeEachBackend('accounts store', (backend) => {
  let dataDir: string;
  let opened: OpenedBackend;
  const accounts = () => opened.store.accounts;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigill-accounts-store-'));
    opened = await backend.open(dataDir);
    await opened.store.senders.create({ id: 'sender-1', name: 'Klinik', createdAt: now, revokedAt: null }, 'token-hash-1');
    await opened.store.senders.create({ id: 'sender-2', name: 'Annan', createdAt: now, revokedAt: null }, 'token-hash-2');
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second user with the same identity in one sender (user_exists), allows one in another sender', async () => {
    await accounts().createUser(user('u1', { pnrHash: 'same' }));
    await expect(accounts().createUser(user('u2', { pnrHash: 'same' }))).rejects.toSatisfy((error) => error instanceof StoreError && error.code === 'user_exists');
    await accounts().createUser(user('u3', { pnrHash: 'same', senderId: 'sender-2', createdAt: now + 1 }));
    expect((await accounts().usersByPnrHash('same')).map((u) => u.id)).toEqual(['u1', 'u3']);
    await opened.store.senders.revoke('sender-1', now);
    expect((await accounts().usersByPnrHash('same')).map((u) => u.id)).toEqual(['u3']);
  });

  it('touches a session only within both timeouts, and never one of a revoked sender', async () => {
    await accounts().createUser(user('u1'));
    await accounts().createSession({ idHash: 's1', userId: 'u1', createdAt: now, lastSeenAt: now });
    expect(await accounts().touchSession('s1', now + 10, now - 100, now - 1000)).toMatchObject({ user: { id: 'u1' }, sender: { id: 'sender-1', name: 'Klinik' }, session: { lastSeenAt: now + 10 } });
    expect(await accounts().touchSession('s1', now + 20, now + 10, now - 1000)).toBeUndefined(); // idle since now + 10
    expect(await accounts().touchSession('s1', now + 20, now, now)).toBeUndefined(); // created at the absolute limit
    expect(await accounts().touchSession('s1', now + 20, now, now - 1)).toBeDefined();
    await opened.store.senders.revoke('sender-1', now);
    expect(await accounts().touchSession('s1', now + 30, now, now - 1)).toBeUndefined();
    expect(await accounts().deleteExpiredSessions(now + 100, 0)).toBe(1);
  });

  it('moves a passkey’s counter only forward, and refuses a registered credential again (passkey_exists)', async () => {
    await accounts().createUser(user('u1'));
    await accounts().addPasskey(passkey('cred-1', 'u1', 5));
    await expect(accounts().addPasskey(passkey('cred-1', 'u1'))).rejects.toSatisfy((error) => error instanceof StoreError && error.code === 'passkey_exists');
    expect(await accounts().usePasskey('cred-1', 6, now)).toBe(true);
    expect(await accounts().usePasskey('cred-1', 6, now)).toBe(false);
    expect(await accounts().usePasskey('cred-1', 3, now)).toBe(false);
    expect((await accounts().passkey('cred-1'))).toMatchObject({ counter: 6, lastUsedAt: now, transports: ['internal'], prf: true });
    await accounts().addPasskey(passkey('cred-0', 'u1', 0));
    expect(await accounts().usePasskey('cred-0', 0, now)).toBe(true); // an authenticator without a counter
  });

  it('takes a challenge once, for its purpose, before it expires', async () => {
    await accounts().addChallenge({ challengeHash: 'c1', purpose: 'authentication', userId: null, expiresAt: now + 100 });
    await accounts().addChallenge({ challengeHash: 'c2', purpose: 'authentication', userId: null, expiresAt: now + 100 });
    expect(await accounts().takeChallenge('c1', 'registration', now)).toBeUndefined();
    const taken = await Promise.all([accounts().takeChallenge('c1', 'authentication', now), accounts().takeChallenge('c1', 'authentication', now)]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await accounts().takeChallenge('c2', 'authentication', now + 100)).toBeUndefined();
  });

  it('turns an approved sign-in into one session only, and never changes an ended one', async () => {
    await accounts().createUser(user('u1'));
    await accounts().startSignIn({ idHash: 'i1', sealed: 'x', status: 'pending', hintCode: 'outstandingTransaction', userId: null, startedAt: now, lastCollectAt: now, expiresAt: now + 600_000 });
    expect(await accounts().useSignIn('i1')).toBeUndefined();
    expect(await accounts().claimSignInCollect('i1', now, now + 60_000)).toBe(true);
    expect(await accounts().claimSignInCollect('i1', now, now + 60_000)).toBe(false);
    await accounts().setSignInHint('i1', 'userSign');
    await accounts().endSignIn('i1', 'approved', null, 'u1');
    await accounts().endSignIn('i1', 'failed', 'userCancel', null);
    expect(await accounts().signIn('i1')).toMatchObject({ status: 'approved', userId: 'u1' });
    const used = await Promise.all([accounts().useSignIn('i1'), accounts().useSignIn('i1')]);
    expect(used.filter(Boolean)).toEqual(['u1']);
  });

  it('deletes a user with their sessions, passkeys and receipt key; their messages keep their rows', async () => {
    await accounts().createUser(user('u1'));
    await accounts().createSession({ idHash: 's1', userId: 'u1', createdAt: now, lastSeenAt: now });
    await accounts().addPasskey(passkey('cred-1', 'u1'));
    await accounts().setReceiptKey('u1', { publicKey: 'pub', wrapped: [{ credentialId: 'cred-1', salt: 's', iv: 'i', ciphertext: 'c' }] }, now);
    expect(await accounts().receiptKey('u1')).toEqual({ publicKey: 'pub', wrapped: [{ credentialId: 'cred-1', salt: 's', iv: 'i', ciphertext: 'c' }] });
    expect(await accounts().deleteUser('sender-2', 'u1')).toBe(false);
    expect(await accounts().deleteUser('sender-1', 'u1')).toBe(true);
    expect(await accounts().passkey('cred-1')).toBeUndefined();
    expect(await accounts().receiptKey('u1')).toBeNull();
    expect(await accounts().touchSession('s1', now, 0, 0)).toBeUndefined();
  });

  it('lists, names and revokes a sender’s tokens by their public id', async () => {
    expect(await accounts().addToken('sender-1', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'CI', now + 1)).toBe(true);
    const tokens = await accounts().listTokens('sender-1');
    expect(tokens.map((t) => t.name)).toEqual(['', 'CI']);
    expect(tokens[1]!.id).toBe('abcdefghijklmnopqrstuv');
    expect(await accounts().revokeToken('sender-2', 'abcdefghijklmnopqrstuv', now)).toBe(false);
    expect(await accounts().revokeToken('sender-1', 'abcdefghijklmnopqrstuv', now)).toBe(true);
    expect(await opened.store.senders.byToken('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')).toBeUndefined();
    await opened.store.senders.revoke('sender-2', now);
    expect(await accounts().addToken('sender-2', 'another-hash', 'x', now)).toBe(false);
  });
});
