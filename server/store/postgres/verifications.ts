import type pg from 'pg';
import { verificationColumns, verificationOf, type VerificationRow } from '../rows.js';
import type { ReleaseTokenRecord, ReleaseTokenStore, VerificationStatus, VerificationStore } from '../types.js';
import { changes, rows, transaction, type Executor } from './pool.js';

/** Pending and finished verifications in PostgreSQL: every process sees the same state. */
export function postgresVerifications(pool: pg.Pool): VerificationStore {
  const setStatus = (on: Executor, idHash: string, status: VerificationStatus, hintCode: string | null) =>
    changes(on, "UPDATE verifications SET status = $1, hint_code = $2 WHERE id_hash = $3 AND status = 'pending'", [status, hintCode, idHash]);
  return {
    async start(v) {
      await transaction(pool, async (client) => {
        await changes(
          client,
          `INSERT INTO verifications (id_hash, link_id, browser_hash, sealed, status, hint_code, started_at, last_collect_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [v.idHash, v.linkId, v.browserHash, v.sealed, v.status, v.hintCode, v.startedAt, v.lastCollectAt, v.expiresAt],
        );
        await changes(client, 'UPDATE links SET verification_started_at = coalesce(verification_started_at, $1) WHERE id = $2', [v.startedAt, v.linkId]);
      });
    },
    async get(idHash) {
      const [row] = await rows<VerificationRow>(pool, `SELECT ${verificationColumns} FROM verifications WHERE id_hash = $1`, [idHash]);
      return row && verificationOf(row);
    },
    async claimCollect(idHash, lastCollectAt, leaseUntil) {
      const claimed = await changes(
        pool,
        "UPDATE verifications SET last_collect_at = $1 WHERE id_hash = $2 AND last_collect_at = $3 AND status = 'pending'",
        [leaseUntil, idHash, lastCollectAt],
      );
      return claimed === 1;
    },
    async endCollect(idHash, leaseUntil, now) {
      await changes(pool, 'UPDATE verifications SET last_collect_at = $1 WHERE id_hash = $2 AND last_collect_at = $3', [now, idHash, leaseUntil]);
    },
    async setStatus(idHash, status, hintCode) {
      await setStatus(pool, idHash, status, hintCode);
    },
    async deny(idHash, linkId, now) {
      await transaction(pool, async (client) => {
        if ((await setStatus(client, idHash, 'denied', null)) === 0) return;
        await changes(client, 'UPDATE links SET denied_attempts = denied_attempts + 1, last_denied_at = $1 WHERE id = $2', [now, linkId]);
      });
    },
    async approve(a) {
      return transaction(pool, async (client) => {
        // Locks the verification: a second approval of it waits here, then finds it ended.
        const pending = await rows(client, "SELECT 1 FROM verifications WHERE id_hash = $1 AND status = 'pending' FOR UPDATE", [a.idHash]);
        if (pending.length === 0) return 'ended' as const;
        // The row lock makes concurrent approvals of one link wait here, and each then
        // sees the count the one before it left: at most readLimit of them get through.
        const counted = await rows(
          client,
          'UPDATE links SET reads = reads + 1, read_at = coalesce(read_at, $1) WHERE id = $2 AND ($3::integer IS NULL OR reads < $3::integer) RETURNING reads',
          [a.now, a.linkId, a.readLimit],
        );
        if (counted.length === 0) {
          await setStatus(client, a.idHash, 'exhausted', null);
          return 'exhausted' as const;
        }
        await changes(client, 'INSERT INTO receipts (message_id, link_id, sealed, created_at) VALUES ($1, $2, $3, $4)', [a.messageId, a.linkId, a.receipt, a.now]);
        const token = a.releaseToken;
        await changes(client, 'INSERT INTO release_tokens (token_hash, link_id, browser_hash, expires_at) VALUES ($1, $2, $3, $4)', [
          token.tokenHash,
          token.linkId,
          token.browserHash,
          token.expiresAt,
        ]);
        await changes(client, "UPDATE verifications SET status = 'approved', hint_code = NULL, sealed = $1 WHERE id_hash = $2", [a.sealed, a.idHash]);
        return 'approved' as const;
      });
    },
    async delete(idHash) {
      await changes(pool, 'DELETE FROM verifications WHERE id_hash = $1', [idHash]);
    },
    async deleteExpired(now) {
      return changes(pool, 'DELETE FROM verifications WHERE expires_at <= $1', [now]);
    },
  };
}

export function postgresReleaseTokens(pool: pg.Pool): ReleaseTokenStore {
  return {
    async find(tokenHash) {
      const [row] = await rows<ReleaseTokenRecord>(
        pool,
        'SELECT link_id AS "linkId", browser_hash AS "browserHash", expires_at AS "expiresAt" FROM release_tokens WHERE token_hash = $1',
        [tokenHash],
      );
      return row;
    },
    async deleteExpired(now) {
      return changes(pool, 'DELETE FROM release_tokens WHERE expires_at <= $1', [now]);
    },
  };
}
