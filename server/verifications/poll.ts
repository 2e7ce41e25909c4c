import type { VerificationState } from '../../shared/api.js';
import { isAuthorized } from '../../shared/authorization.js';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { sealReceipt } from '../../shared/receipts.js';
import { BankIdError, qrData, qrTimeAt, type CollectResponse } from '../bankid/index.js';
import type { AppDeps } from '../deps.js';
import { gone, notFound } from '../errors.js';
import { hashCapability, newCapability } from '../http/secrets.js';
import type { VerificationRecord, VerificationStatus } from '../store/types.js';
import { findVerification, openSecrets, sealSecrets, type VerificationSecrets } from './sealed-state.js';
import { emitEvent } from '../webhooks/events.js';


/** The verification of this id, if this browser started it and it is still live. */
export async function ownVerification(deps: AppDeps, verificationId: string, browserHash: string | undefined): Promise<VerificationRecord> {
  const row = /^[A-Za-z0-9_-]{22}$/.test(verificationId) ? await findVerification(deps.store, verificationId) : undefined;
  if (!row || row.browserHash !== browserHash) throw notFound('verification_not_found', 'no such verification in this browser');
  if (row.expiresAt <= deps.clock.now()) throw gone('verification_expired', 'this identification has expired; start again');
  return row;
}

/**
 * How long a claimed collect keeps others from collecting the same order: longer than
 * the BankID client can take (3 attempts of 10 s each and 2 waits of 1 s), so a slow
 * answer is never overtaken by a second collect; a process that dies mid-collect
 * holds the order up for at most this long.
 */
export const collectLeaseMs = 60_000;

/**
 * Answers a poll (PROTOCOL.md §8.3). Exactly one BankID collect per order is in flight,
 * at most once per collect interval, whichever process or page asks: a poll claims the
 * collect by moving `last_collect_at` to the end of a lease in one conditional update,
 * and sets it to the time the collect ended when it is done; others answer from the
 * stored state. An ended verification is never changed again (the store's updates
 * require `status = 'pending'`). The QR string is computed for this second on every poll.
 */
export async function pollVerification(deps: AppDeps, verificationId: string, browserHash: string | undefined): Promise<VerificationState> {
  const { store, clock, config } = deps;
  let row = await ownVerification(deps, verificationId, browserHash);
  const now = clock.now();
  if (row.status === 'pending' && now - row.lastCollectAt >= config.collectIntervalMs) {
    const leaseUntil = now + collectLeaseMs;
    if (await store.verifications.claimCollect(row.idHash, row.lastCollectAt, leaseUntil)) {
      try {
        await collectAndDecide(deps, verificationId, row, openSecrets(verificationId, row));
      } finally {
        await store.verifications.endCollect(row.idHash, leaseUntil, clock.now());
      }
      row = (await findVerification(store, verificationId)) ?? row;
    }
  }
  return answerFor(verificationId, row, clock.now());
}

function answerFor(verificationId: string, row: VerificationRecord, now: number): VerificationState {
  switch (row.status) {
    case 'pending': {
      const secrets = openSecrets(verificationId, row);
      const qr = qrData({ qrStartToken: secrets.qrStartToken, qrStartSecret: secrets.qrStartSecret, qrTime: qrTimeAt(row.startedAt, now) });
      return { status: 'pending', hintCode: row.hintCode ?? 'outstandingTransaction', qr };
    }
    case 'failed':
      return { status: 'failed', hintCode: row.hintCode ?? 'unknown' };
    case 'denied':
      return { status: 'denied' };
    case 'exhausted':
      throw gone('link_exhausted', 'this message has been opened as many times as the sender allowed');
    case 'approved': {
      const secrets = openSecrets(verificationId, row);
      return { status: 'approved', name: secrets.name ?? '', releaseToken: secrets.releaseToken ?? '' };
    }
  }
}

async function collectAndDecide(deps: AppDeps, verificationId: string, row: VerificationRecord, secrets: VerificationSecrets) {
  const { bankId, logger } = deps;
  let result: CollectResponse;
  try {
    result = await bankId.collect(secrets.orderRef);
  } catch (error) {
    if (error instanceof BankIdError && error.httpStatus === 400) {
      // BankID no longer knows the order (collected too late): it cannot complete.
      await setStatus(deps, row, 'failed', 'unknown');
      return;
    }
    logger.warn({ event: 'bankid_collect_failed', code: error instanceof BankIdError ? error.code : 'error' }, 'BankID collect failed; will retry');
    return;
  }
  if (result.status === 'pending') return setStatus(deps, row, 'pending', result.hintCode);
  if (result.status === 'failed') return setStatus(deps, row, 'failed', result.hintCode);
  await decide(deps, verificationId, row, secrets, result.completionData.user);
}

function setStatus(deps: AppDeps, row: VerificationRecord, status: VerificationStatus, hintCode: string | null) {
  return deps.store.verifications.setStatus(row.idHash, status, hintCode);
}

/** BankID proved an identity: may it read through this link? */
async function decide(
  deps: AppDeps,
  verificationId: string,
  row: VerificationRecord,
  secrets: VerificationSecrets,
  user: { personalNumber: string; name: string },
) {
  const { store, clock, config, logger } = deps;
  const now = clock.now();
  const identity = `se-pnr:${user.personalNumber}`;
  const link = await store.links.get(row.linkId);
  const message = link && (await store.messages.get(link.messageId));
  if (!link || !message || message.state !== 'ready') return setStatus(deps, row, 'failed', 'unknown');

  const readers = link.readers;
  const authKey = decodeBase64url(secrets.authKey);
  const allowed = isAuthorized(authKey, identity, readers === '*' ? '*' : readers.map((tag) => decodeBase64url(tag)));
  if (!allowed) {
    await store.verifications.deny(row.idHash, link.id, now);
    await emitEvent(store, message.senderId, 'link.denied', { messageId: message.id, linkId: link.id }, now);
    logger.info({ event: 'verification_denied' }, 'verified identity may not read this link');
    return;
  }

  const at = new Date(now).toISOString();
  const receipt = await sealReceipt(decodeBase64url(message.receiptKey), decodeBase64url(message.id), { linkId: link.id, identity, name: user.name, at });
  const releaseToken = newCapability();
  const outcome = await store.verifications.approve({
    idHash: row.idHash,
    linkId: link.id,
    messageId: message.id,
    readLimit: message.readLimit,
    sealed: sealSecrets(verificationId, { ...secrets, name: user.name, releaseToken }),
    receipt: encodeBase64url(receipt),
    releaseToken: { tokenHash: hashCapability(releaseToken), linkId: link.id, browserHash: row.browserHash, expiresAt: now + config.releaseTokenMs },
    now,
  });
  if (outcome !== 'approved') return;
  await emitEvent(store, message.senderId, 'link.read', { messageId: message.id, linkId: link.id }, now);
  logger.info({ event: 'verification_approved' }, 'reader verified; release token issued');
}

/** DELETE: cancels the BankID order if it is still pending, and forgets the verification. */
export async function cancelVerification(deps: AppDeps, verificationId: string, browserHash: string | undefined): Promise<void> {
  const row = await ownVerification(deps, verificationId, browserHash);
  if (row.status === 'pending') {
    const { orderRef } = openSecrets(verificationId, row);
    await deps.bankId.cancel(orderRef).catch((error: unknown) => {
      deps.logger.warn({ event: 'bankid_cancel_failed', code: error instanceof BankIdError ? error.code : 'error' }, 'BankID cancel failed');
    });
  }
  await deps.store.verifications.delete(row.idHash);
}
