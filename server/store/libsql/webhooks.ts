import { claimedOf, endpointColumns, endpointOf, jobOf, type ClaimedRow, type EndpointRow, type JobRow } from '../webhook-rows.js';
import type { WebhookStore } from '../webhook-types.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

/**
 * Webhook endpoints and the outbox in the libsql file. A job is claimed by one
 * conditional update (`… AND (leased_until IS NULL OR leased_until < now) RETURNING`):
 * of several processes trying one job, exactly one gets a row back.
 */
export function libsqlWebhooks(db: Db): WebhookStore {
  const claimOne = (id: string, owner: string, now: number, leasedUntil: number) =>
    query<ClaimedRow>(
      db,
      `UPDATE webhook_jobs SET leased_until = ?, lease_owner = ?
       WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until < ?)
       RETURNING id, endpoint_id, body, attempts,
         (SELECT url FROM webhook_endpoints e WHERE e.id = endpoint_id) AS url,
         (SELECT sealed_secrets FROM webhook_endpoints e WHERE e.id = endpoint_id) AS sealed_secrets`,
    ).get(leasedUntil, owner, id, now, now);
  return {
    async createEndpoint(e) {
      query(db, `INSERT INTO webhook_endpoints (${endpointColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        e.id,
        e.senderId,
        e.url,
        JSON.stringify(e.events),
        e.sealedSecrets,
        e.enabled ? 1 : 0,
        e.failureCount,
        e.lastFailureAt,
        e.lastFailure,
        e.createdAt,
      );
    },
    async listEndpoints(senderId) {
      return query<EndpointRow>(db, `SELECT ${endpointColumns} FROM webhook_endpoints WHERE sender_id = ? ORDER BY created_at, id`).all(senderId).map(endpointOf);
    },
    async getEndpoint(senderId, endpointId) {
      const row = query<EndpointRow>(db, `SELECT ${endpointColumns} FROM webhook_endpoints WHERE id = ? AND sender_id = ?`).get(endpointId, senderId);
      return row && endpointOf(row);
    },
    async deleteEndpoint(senderId, endpointId) {
      return query(db, 'DELETE FROM webhook_endpoints WHERE id = ? AND sender_id = ?').run(endpointId, senderId).changes === 1;
    },
    async setSecrets(senderId, endpointId, sealedSecrets) {
      return query(db, 'UPDATE webhook_endpoints SET sealed_secrets = ? WHERE id = ? AND sender_id = ?').run(sealedSecrets, endpointId, senderId).changes === 1;
    },
    async enable(senderId, endpointId) {
      return query(db, 'UPDATE webhook_endpoints SET enabled = 1, failure_count = 0 WHERE id = ? AND sender_id = ?').run(endpointId, senderId).changes === 1;
    },
    async enqueue(jobs) {
      await inTransaction(db, () => {
        for (const job of jobs) {
          query(db, 'INSERT INTO webhook_jobs (id, endpoint_id, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)').run(job.id, job.endpointId, job.body, job.createdAt, job.createdAt);
        }
      });
    },
    async claim(owner, now, leasedUntil, limit) {
      const due = query<{ id: string }>(
        db,
        `SELECT j.id FROM webhook_jobs j JOIN webhook_endpoints e ON e.id = j.endpoint_id
         WHERE j.delivered_at IS NULL AND j.failed_at IS NULL AND j.next_attempt_at <= ? AND (j.leased_until IS NULL OR j.leased_until < ?) AND e.enabled = 1
         ORDER BY j.next_attempt_at, j.created_at LIMIT ?`,
      ).all(now, now, limit);
      const claimed: ClaimedRow[] = [];
      for (const { id } of due) {
        const row = claimOne(id, owner, now, leasedUntil);
        if (row) claimed.push(row);
      }
      return claimed.map(claimedOf);
    },
    async delivered(jobId, owner, now) {
      return inTransaction(db, () => {
        const job = query<{ endpoint_id: string }>(
          db,
          'UPDATE webhook_jobs SET delivered_at = ?, attempts = attempts + 1, leased_until = NULL WHERE id = ? AND lease_owner = ? AND delivered_at IS NULL AND failed_at IS NULL RETURNING endpoint_id',
        ).get(now, jobId, owner);
        if (!job) return false;
        query(db, 'UPDATE webhook_endpoints SET failure_count = 0 WHERE id = ?').run(job.endpoint_id);
        return true;
      });
    },
    async failed(jobId, owner, failure, now, nextAttemptAt) {
      return inTransaction(db, () => {
        const job = query<{ endpoint_id: string }>(
          db,
          `UPDATE webhook_jobs SET attempts = attempts + 1, leased_until = NULL, last_failure = ?,
             next_attempt_at = coalesce(?, next_attempt_at), failed_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END
           WHERE id = ? AND lease_owner = ? AND delivered_at IS NULL AND failed_at IS NULL RETURNING endpoint_id`,
        ).get(failure, nextAttemptAt, nextAttemptAt, now, jobId, owner);
        if (!job) return false;
        query(
          db,
          `UPDATE webhook_endpoints SET failure_count = failure_count + 1, last_failure = ?, last_failure_at = ?,
             enabled = CASE WHEN ? IS NULL THEN 0 ELSE enabled END WHERE id = ?`,
        ).run(failure, now, nextAttemptAt, job.endpoint_id);
        return true;
      });
    },
    async forgetFinished(before) {
      return query(db, 'DELETE FROM webhook_jobs WHERE delivered_at < ? OR failed_at < ?').run(before, before).changes;
    },
    async getJob(jobId) {
      const row = query<JobRow>(db, 'SELECT id, endpoint_id, attempts, next_attempt_at, delivered_at, failed_at FROM webhook_jobs WHERE id = ?').get(jobId);
      return row && jobOf(row);
    },
  };
}
