import type { ReleaseTokenStore, VerificationRecord, VerificationStore } from '../types.js';
import { verificationColumns, verificationOf, type VerificationRow } from '../rows.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

/** Pending and finished verifications in the libsql file. */
export function libsqlVerifications(db: Db): VerificationStore {
  const setStatus = (idHash: string, status: VerificationRecord['status'], hintCode: string | null) =>
    query(db, "UPDATE verifications SET status = ?, hint_code = ? WHERE id_hash = ? AND status = 'pending'").run(status, hintCode, idHash).changes;
  return {
    async start(v) {
      await inTransaction(db, () => {
        query(
          db,
          `INSERT INTO verifications (id_hash, link_id, browser_hash, sealed, status, hint_code, started_at, last_collect_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(v.idHash, v.linkId, v.browserHash, v.sealed, v.status, v.hintCode, v.startedAt, v.lastCollectAt, v.expiresAt);
        query(db, 'UPDATE links SET verification_started_at = coalesce(verification_started_at, ?) WHERE id = ?').run(v.startedAt, v.linkId);
      });
    },
    async get(idHash) {
      const row = query<VerificationRow>(db, `SELECT ${verificationColumns} FROM verifications WHERE id_hash = ?`).get(idHash);
      return row && verificationOf(row);
    },
    async claimCollect(idHash, lastCollectAt, leaseUntil) {
      return (
        query(db, "UPDATE verifications SET last_collect_at = ? WHERE id_hash = ? AND last_collect_at = ? AND status = 'pending'").run(leaseUntil, idHash, lastCollectAt)
          .changes === 1
      );
    },
    async endCollect(idHash, leaseUntil, now) {
      query(db, 'UPDATE verifications SET last_collect_at = ? WHERE id_hash = ? AND last_collect_at = ?').run(now, idHash, leaseUntil);
    },
    async setStatus(idHash, status, hintCode) {
      setStatus(idHash, status, hintCode);
    },
    async deny(idHash, linkId, now) {
      await inTransaction(db, () => {
        if (setStatus(idHash, 'denied', null) === 0) return;
        query(db, 'UPDATE links SET denied_attempts = denied_attempts + 1, last_denied_at = ? WHERE id = ?').run(now, linkId);
      });
    },
    async approve(a) {
      return inTransaction(db, () => {
        const pending = query(db, "SELECT 1 AS pending FROM verifications WHERE id_hash = ? AND status = 'pending'").get(a.idHash);
        if (!pending) return 'ended' as const;
        const counted = query(db, 'UPDATE links SET reads = reads + 1, read_at = coalesce(read_at, ?1) WHERE id = ?2 AND (?3 IS NULL OR reads < ?3)').run(
          a.now,
          a.linkId,
          a.readLimit,
        ).changes;
        if (counted === 0) {
          setStatus(a.idHash, 'exhausted', null);
          return 'exhausted' as const;
        }
        query(db, 'INSERT INTO receipts (message_id, link_id, sealed, created_at) VALUES (?, ?, ?, ?)').run(a.messageId, a.linkId, a.receipt, a.now);
        const token = a.releaseToken;
        query(db, 'INSERT INTO release_tokens (token_hash, link_id, browser_hash, expires_at) VALUES (?, ?, ?, ?)').run(token.tokenHash, token.linkId, token.browserHash, token.expiresAt);
        query(db, "UPDATE verifications SET status = 'approved', hint_code = NULL, sealed = ? WHERE id_hash = ?").run(a.sealed, a.idHash);
        return 'approved' as const;
      });
    },
    async delete(idHash) {
      query(db, 'DELETE FROM verifications WHERE id_hash = ?').run(idHash);
    },
    async deleteExpired(now) {
      return query(db, 'DELETE FROM verifications WHERE expires_at <= ?').run(now).changes;
    },
  };
}

export function libsqlReleaseTokens(db: Db): ReleaseTokenStore {
  return {
    async find(tokenHash) {
      return query<{ linkId: string; browserHash: string; expiresAt: number }>(
        db,
        'SELECT link_id AS linkId, browser_hash AS browserHash, expires_at AS expiresAt FROM release_tokens WHERE token_hash = ?',
      ).get(tokenHash);
    },
    async deleteExpired(now) {
      return query(db, 'DELETE FROM release_tokens WHERE expires_at <= ?').run(now).changes;
    },
  };
}
