import type pg from 'pg';
import { claimedOf, endpointColumns, endpointOf, jobOf, type ClaimedRow, type EndpointRow, type JobRow } from '../webhook-rows.js';
import type { WebhookStore } from '../webhook-types.js';
import { changes, rows, transaction } from './pool.js';

/**
 * Webhook endpoints and the outbox in PostgreSQL. Jobs are claimed with
 * `FOR UPDATE SKIP LOCKED`: processes claiming at once each take other rows, and the
 * lease keeps a claimed row from being taken again until it ends.
 */
export function postgresWebhooks(pool: pg.Pool): WebhookStore {
  return {
    async createEndpoint(e) {
      await changes(pool, `INSERT INTO webhook_endpoints (${endpointColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        e.id,
        e.senderId,
        e.url,
        JSON.stringify(e.events),
        e.sealedSecrets,
        e.enabled,
        e.failureCount,
        e.lastFailureAt,
        e.lastFailure,
        e.createdAt,
      ]);
    },
    async listEndpoints(senderId) {
      return (await rows<EndpointRow>(pool, `SELECT ${endpointColumns} FROM webhook_endpoints WHERE sender_id = $1 ORDER BY created_at, id`, [senderId])).map(endpointOf);
    },
    async getEndpoint(senderId, endpointId) {
      const [row] = await rows<EndpointRow>(pool, `SELECT ${endpointColumns} FROM webhook_endpoints WHERE id = $1 AND sender_id = $2`, [endpointId, senderId]);
      return row && endpointOf(row);
    },
    async deleteEndpoint(senderId, endpointId) {
      return (await changes(pool, 'DELETE FROM webhook_endpoints WHERE id = $1 AND sender_id = $2', [endpointId, senderId])) === 1;
    },
    async setSecrets(senderId, endpointId, sealedSecrets) {
      return (await changes(pool, 'UPDATE webhook_endpoints SET sealed_secrets = $1 WHERE id = $2 AND sender_id = $3', [sealedSecrets, endpointId, senderId])) === 1;
    },
    async enable(senderId, endpointId) {
      return (await changes(pool, 'UPDATE webhook_endpoints SET enabled = true, failure_count = 0 WHERE id = $1 AND sender_id = $2', [endpointId, senderId])) === 1;
    },
    async enqueue(jobs) {
      if (jobs.length === 0) return;
      await transaction(pool, async (client) => {
        for (const job of jobs) {
          await changes(client, 'INSERT INTO webhook_jobs (id, endpoint_id, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $4)', [job.id, job.endpointId, job.body, job.createdAt]);
        }
      });
    },
    async claim(owner, now, leasedUntil, limit) {
      const claimed = await rows<ClaimedRow>(
        pool,
        `WITH due AS (
           SELECT j.id FROM webhook_jobs j JOIN webhook_endpoints e ON e.id = j.endpoint_id
           WHERE j.delivered_at IS NULL AND j.failed_at IS NULL AND j.next_attempt_at <= $1 AND (j.leased_until IS NULL OR j.leased_until < $1) AND e.enabled
           ORDER BY j.next_attempt_at, j.created_at LIMIT $4
           FOR UPDATE OF j SKIP LOCKED)
         UPDATE webhook_jobs j SET leased_until = $2, lease_owner = $3 FROM due, webhook_endpoints e
         WHERE j.id = due.id AND e.id = j.endpoint_id
         RETURNING j.id, j.endpoint_id, j.body, j.attempts, e.url, e.sealed_secrets`,
        [now, leasedUntil, owner, limit],
      );
      return claimed.map(claimedOf);
    },
    async delivered(jobId, owner, now) {
      return transaction(pool, async (client) => {
        const [job] = await rows<{ endpoint_id: string }>(
          client,
          'UPDATE webhook_jobs SET delivered_at = $1, attempts = attempts + 1, leased_until = NULL WHERE id = $2 AND lease_owner = $3 AND delivered_at IS NULL AND failed_at IS NULL RETURNING endpoint_id',
          [now, jobId, owner],
        );
        if (!job) return false;
        await changes(client, 'UPDATE webhook_endpoints SET failure_count = 0 WHERE id = $1', [job.endpoint_id]);
        return true;
      });
    },
    async failed(jobId, owner, failure, now, nextAttemptAt) {
      return transaction(pool, async (client) => {
        const [job] = await rows<{ endpoint_id: string }>(
          client,
          `UPDATE webhook_jobs SET attempts = attempts + 1, leased_until = NULL, last_failure = $1,
             next_attempt_at = coalesce($2::bigint, next_attempt_at), failed_at = CASE WHEN $2::bigint IS NULL THEN $3::bigint ELSE NULL END
           WHERE id = $4 AND lease_owner = $5 AND delivered_at IS NULL AND failed_at IS NULL RETURNING endpoint_id`,
          [failure, nextAttemptAt, now, jobId, owner],
        );
        if (!job) return false;
        await changes(
          client,
          `UPDATE webhook_endpoints SET failure_count = failure_count + 1, last_failure = $1, last_failure_at = $2,
             enabled = CASE WHEN $3::bigint IS NULL THEN false ELSE enabled END WHERE id = $4`,
          [failure, now, nextAttemptAt, job.endpoint_id],
        );
        return true;
      });
    },
    async forgetFinished(before) {
      return changes(pool, 'DELETE FROM webhook_jobs WHERE delivered_at < $1 OR failed_at < $1', [before]);
    },
    async getJob(jobId) {
      const [row] = await rows<JobRow>(pool, 'SELECT id, endpoint_id, attempts, next_attempt_at, delivered_at, failed_at FROM webhook_jobs WHERE id = $1', [jobId]);
      return row && jobOf(row);
    },
  };
}
