import { isAuthorized } from '../../shared/authorization.js';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { sealReceipt } from '../../shared/receipts.js';
import { BankIdError, qrData, qrTimeAt, type CollectResponse } from '../bankid/index.js';
import type { AppDeps } from '../deps.js';
import { gone, notFound } from '../errors.js';
import { hashCapability, newCapability } from '../http/secrets.js';
import type { MessageRow } from '../messages/queries.js';
import { inTransaction } from '../store/transactions.js';
import { findVerification, openSecrets, sealSecrets, type VerificationRow, type VerificationSecrets } from './sealed-state.js';

export type PollAnswer =
  | { status: 'pending'; hintCode: string; qr: string }
  | { status: 'failed'; hintCode: string }
  | { status: 'denied' }
  | { status: 'approved'; name: string; releaseToken: string };

/** The verification of this id, if this browser started it and it is still live. */
export function ownVerification(deps: AppDeps, verificationId: string, browserHash: string | undefined): VerificationRow {
  const row = /^[A-Za-z0-9_-]{22}$/.test(verificationId) ? findVerification(deps.db, verificationId) : undefined;
  if (!row || row.browser_hash !== browserHash) throw notFound('verification_not_found', 'no such verification in this browser');
  if (row.expires_at <= deps.clock.now()) throw gone('verification_expired', 'this identification has expired; start again');
  return row;
}

/**
 * Answers a poll (PROTOCOL.md §8.3). BankID's collect is called at most once per
 * collect interval per order, whichever process or page asks: a poll claims the
 * collect by moving `last_collect_at` in one conditional update; others answer from
 * the stored state. The QR string is computed for this second on every poll.
 */
export async function pollVerification(deps: AppDeps, verificationId: string, browserHash: string | undefined): Promise<PollAnswer> {
  const { db, clock, config } = deps;
  let row = ownVerification(deps, verificationId, browserHash);
  const now = clock.now();
  if (row.status === 'pending' && now - row.last_collect_at >= config.collectIntervalMs) {
    const claimed = db
      .prepare('UPDATE verifications SET last_collect_at = ? WHERE id_hash = ? AND last_collect_at = ? AND status = ?')
      .run(now, row.id_hash, row.last_collect_at, 'pending').changes;
    if (claimed === 1) {
      await collectAndDecide(deps, verificationId, row, openSecrets(verificationId, row));
      row = findVerification(db, verificationId)!;
    }
  }
  return answerFor(verificationId, row, clock.now());
}

function answerFor(verificationId: string, row: VerificationRow, now: number): PollAnswer {
  switch (row.status) {
    case 'pending': {
      const secrets = openSecrets(verificationId, row);
      const qr = qrData({ qrStartToken: secrets.qrStartToken, qrStartSecret: secrets.qrStartSecret, qrTime: qrTimeAt(row.started_at, now) });
      return { status: 'pending', hintCode: row.hint_code ?? 'outstandingTransaction', qr };
    }
    case 'failed':
      return { status: 'failed', hintCode: row.hint_code ?? 'unknown' };
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

async function collectAndDecide(deps: AppDeps, verificationId: string, row: VerificationRow, secrets: VerificationSecrets) {
  const { db, bankId, logger } = deps;
  let result: CollectResponse;
  try {
    result = await bankId.collect(secrets.orderRef);
  } catch (error) {
    if (error instanceof BankIdError && error.httpStatus === 400) {
      // BankID no longer knows the order (collected too late): it cannot complete.
      setStatus(deps, row, 'failed', 'unknown');
      return;
    }
    logger.warn({ event: 'bankid_collect_failed', code: error instanceof BankIdError ? error.code : 'error' }, 'BankID collect failed; will retry');
    return;
  }
  if (result.status === 'pending') return setStatus(deps, row, 'pending', result.hintCode);
  if (result.status === 'failed') return setStatus(deps, row, 'failed', result.hintCode);
  await decide(deps, verificationId, row, secrets, result.completionData.user);
}

function setStatus(deps: AppDeps, row: VerificationRow, status: VerificationRow['status'], hintCode: string | null) {
  deps.db.prepare('UPDATE verifications SET status = ?, hint_code = ? WHERE id_hash = ?').run(status, hintCode, row.id_hash);
}

/** BankID proved an identity: may it read through this link? */
async function decide(
  deps: AppDeps,
  verificationId: string,
  row: VerificationRow,
  secrets: VerificationSecrets,
  user: { personalNumber: string; name: string },
) {
  const { db, clock, config, logger } = deps;
  const now = clock.now();
  const identity = `se-pnr:${user.personalNumber}`;
  const link = db.prepare('SELECT l.id, l.readers, l.message_id FROM links l WHERE l.id = ?').get(row.link_id) as
    | { id: string; readers: string; message_id: string }
    | undefined;
  const message = link && (db.prepare('SELECT * FROM messages WHERE id = ?').get(link.message_id) as MessageRow | undefined);
  if (!link || !message || message.state !== 'ready') return setStatus(deps, row, 'failed', 'unknown');

  const readers = JSON.parse(link.readers) as '*' | string[];
  const authKey = decodeBase64url(secrets.authKey);
  const allowed = isAuthorized(authKey, identity, readers === '*' ? '*' : readers.map((tag) => decodeBase64url(tag)));
  if (!allowed) {
    inTransaction(db, () => {
      setStatus(deps, row, 'denied', null);
      db.prepare('UPDATE links SET denied_attempts = denied_attempts + 1, last_denied_at = ? WHERE id = ?').run(now, link.id);
    });
    logger.info({ event: 'verification_denied' }, 'verified identity may not read this link');
    return;
  }

  const at = new Date(now).toISOString();
  const receipt = await sealReceipt(decodeBase64url(message.receipt_key), decodeBase64url(message.id), { linkId: link.id, identity, name: user.name, at });
  const releaseToken = newCapability();
  inTransaction(db, () => {
    const counted = db
      .prepare('UPDATE links SET reads = reads + 1, read_at = coalesce(read_at, ?1) WHERE id = ?2 AND (?3 IS NULL OR reads < ?3)')
      .run(now, link.id, message.read_limit).changes;
    if (counted === 0) return setStatus(deps, row, 'exhausted', null);
    db.prepare('INSERT INTO receipts (message_id, link_id, sealed, created_at) VALUES (?, ?, ?, ?)').run(message.id, link.id, encodeBase64url(receipt), now);
    db.prepare('INSERT INTO release_tokens (token_hash, link_id, browser_hash, expires_at) VALUES (?, ?, ?, ?)').run(
      hashCapability(releaseToken),
      link.id,
      row.browser_hash,
      now + config.releaseTokenMs,
    );
    db.prepare("UPDATE verifications SET status = 'approved', hint_code = NULL, sealed = ? WHERE id_hash = ?").run(
      sealSecrets(verificationId, { ...secrets, name: user.name, releaseToken }),
      row.id_hash,
    );
  });
  logger.info({ event: 'verification_approved' }, 'reader verified; release token issued');
}

/** DELETE: cancels the BankID order if it is still pending, and forgets the verification. */
export async function cancelVerification(deps: AppDeps, verificationId: string, browserHash: string | undefined): Promise<void> {
  const row = ownVerification(deps, verificationId, browserHash);
  if (row.status === 'pending') {
    const { orderRef } = openSecrets(verificationId, row);
    await deps.bankId.cancel(orderRef).catch((error: unknown) => {
      deps.logger.warn({ event: 'bankid_cancel_failed', code: error instanceof BankIdError ? error.code : 'error' }, 'BankID cancel failed');
    });
  }
  deps.db.prepare('DELETE FROM verifications WHERE id_hash = ?').run(row.id_hash);
}
