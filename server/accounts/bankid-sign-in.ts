import type { BankIdSignInState } from '../../shared/api/accounts.js';
import { BankIdError, encodeUserData, qrData, qrTimeAt } from '../bankid/index.js';
import type { AppDeps } from '../deps.js';
import { AppError, gone, notFound } from '../errors.js';
import { hashCapability, newCapability, openWithCapability, sealWithCapability } from '../http/secrets.js';
import type { SignInRecord } from '../store/account-types.js';
import { collectLeaseMs } from '../verifications/poll.js';
import { tooManyAttempts, type RateLimits } from '../verifications/rate-limits.js';
import { accountKey, pnrHash } from './identity.js';

/**
 * Signing in to the toolbox with BankID (RP API v6 auth, by QR or on the same device),
 * as the recipient's verification does it: the orderRef and QR secrets are sealed under
 * a key from the signInId, which only the browser holds; one collect per order at a
 * time across processes (a lease); the QR string is computed for this second on every
 * poll. BankID's personal number is looked up as its keyed hash, never stored.
 * One person may be a user of several senders: the oldest user is signed in.
 * Starts are counted per client address (SIGILL_RATE_STARTS_PER_IP per rate window, apart
 * from the recipients' starts): past it, 429 `too_many_attempts` with Retry-After, and no
 * BankID order is made.
 *
 * @example
 * const limits = createRateLimits(deps.store, deps.config.rateWindowMs, rateLimitSecretOf(deps.config));
 * const { signInId, autoStartToken } = await startSignIn(deps, limits, ip);
 * const state = await pollSignIn(deps, signInId);   // 'approved' once, then the session
 */
interface SignInSecrets {
  orderRef: string;
  qrStartToken: string;
  qrStartSecret: string;
}

const signInMs = 600_000;

export async function startSignIn(deps: AppDeps, limits: RateLimits, endUserIp: string): Promise<{ signInId: string; autoStartToken: string }> {
  const { bankId, store, clock, config } = deps;
  const now = clock.now();
  if (!(await limits.take('sign-in:ip', endUserIp, config.startsPerIp, now))) {
    throw tooManyAttempts('too many BankID sign-ins started from this address; wait a few minutes', config.rateWindowMs, now);
  }
  let order;
  try {
    order = await bankId.auth({ endUserIp, userVisibleData: encodeUserData('Logga in i Sigill.'), userVisibleDataFormat: 'simpleMarkdownV1' });
  } catch (error) {
    if (error instanceof BankIdError && error.errorCode === 'alreadyInProgress') throw new AppError(409, 'bankid_in_progress', 'a BankID identification is already in progress; finish or cancel it');
    throw error;
  }
  const signInId = newCapability();
  const secrets: SignInSecrets = { orderRef: order.orderRef, qrStartToken: order.qrStartToken, qrStartSecret: order.qrStartSecret };
  await store.accounts.startSignIn({
    idHash: hashCapability(signInId),
    sealed: sealWithCapability(signInId, secrets),
    status: 'pending',
    hintCode: 'outstandingTransaction',
    userId: null,
    startedAt: now,
    lastCollectAt: now,
    expiresAt: now + signInMs,
  });
  return { signInId, autoStartToken: order.autoStartToken };
}

async function ownSignIn(deps: AppDeps, signInId: string): Promise<SignInRecord> {
  const row = /^[A-Za-z0-9_-]{22}$/.test(signInId) ? await deps.store.accounts.signIn(hashCapability(signInId)) : undefined;
  if (!row) throw notFound('sign_in_not_found', 'no such sign-in');
  if (row.expiresAt <= deps.clock.now()) throw gone('sign_in_expired', 'this sign-in has expired; start again');
  return row;
}

/** One poll: collects at most once per collect interval; `approved` with the user id to start the session for (once). */
export async function pollSignIn(deps: AppDeps, signInId: string): Promise<{ state: BankIdSignInState; userId?: string }> {
  const { store, clock, config } = deps;
  let row = await ownSignIn(deps, signInId);
  const now = clock.now();
  if (row.status === 'pending' && now - row.lastCollectAt >= config.collectIntervalMs) {
    const leaseUntil = now + collectLeaseMs;
    if (await store.accounts.claimSignInCollect(row.idHash, row.lastCollectAt, leaseUntil)) {
      try {
        await collect(deps, row, openWithCapability<SignInSecrets>(signInId, row.sealed));
      } finally {
        await store.accounts.endSignInCollect(row.idHash, leaseUntil, clock.now());
      }
      row = (await store.accounts.signIn(row.idHash)) ?? row;
    }
  }
  switch (row.status) {
    case 'pending': {
      const secrets = openWithCapability<SignInSecrets>(signInId, row.sealed);
      const qr = qrData({ qrStartToken: secrets.qrStartToken, qrStartSecret: secrets.qrStartSecret, qrTime: qrTimeAt(row.startedAt, clock.now()) });
      return { state: { status: 'pending', hintCode: row.hintCode ?? 'outstandingTransaction', qr } };
    }
    case 'failed':
      return { state: { status: 'failed', hintCode: row.hintCode ?? 'unknown' } };
    case 'unknown_user':
      return { state: { status: 'unknown_user' } };
    case 'approved': {
      const userId = await store.accounts.useSignIn(row.idHash);
      if (userId === undefined) throw gone('sign_in_used', 'this sign-in was used already; start again');
      return { state: { status: 'approved' }, userId };
    }
    case 'used':
      throw gone('sign_in_used', 'this sign-in was used already; start again');
  }
}

async function collect(deps: AppDeps, row: SignInRecord, secrets: SignInSecrets): Promise<void> {
  const { bankId, store, logger, config } = deps;
  let result;
  try {
    result = await bankId.collect(secrets.orderRef);
  } catch (error) {
    if (error instanceof BankIdError && error.httpStatus === 400) return store.accounts.endSignIn(row.idHash, 'failed', 'unknown', null);
    logger.warn({ event: 'bankid_collect_failed', code: error instanceof BankIdError ? error.code : 'error' }, 'BankID collect failed; will retry');
    return;
  }
  if (result.status === 'pending') return store.accounts.setSignInHint(row.idHash, result.hintCode);
  if (result.status === 'failed') return store.accounts.endSignIn(row.idHash, 'failed', result.hintCode, null);
  const [user] = await store.accounts.usersByPnrHash(pnrHash(accountKey(config), result.completionData.user.personalNumber));
  if (!user) {
    logger.info({ event: 'sign_in_unknown_user' }, 'BankID identified someone who is no user');
    return store.accounts.endSignIn(row.idHash, 'unknown_user', null, null);
  }
  logger.info({ event: 'sign_in_approved', userId: user.id }, 'user signed in with BankID');
  await store.accounts.endSignIn(row.idHash, 'approved', null, user.id);
}

export async function cancelSignIn(deps: AppDeps, signInId: string): Promise<void> {
  const row = await ownSignIn(deps, signInId);
  if (row.status === 'pending') {
    const { orderRef } = openWithCapability<SignInSecrets>(signInId, row.sealed);
    await deps.bankId.cancel(orderRef).catch((error: unknown) => {
      deps.logger.warn({ event: 'bankid_cancel_failed', code: error instanceof BankIdError ? error.code : 'error' }, 'BankID cancel failed');
    });
  }
  await deps.store.accounts.deleteSignIn(row.idHash);
}
