import type { DeliveryOutcome, DeliveryState, Millis, NewDelivery } from './types.js';
import type { NewWebhookJob } from './webhook-types.js';

/**
 * The delivery SQL both engines share (placeholders are `?` here; PostgreSQL's back end
 * numbers them). A state moves only forward: its rank must grow, in one conditional update.
 */
export const deliveryRank: Record<DeliveryState, number> = { pending: 0, sent: 1, delayed: 2, delivered: 3, failed: 3 };

const rankOfColumn = "(CASE status WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delayed' THEN 2 ELSE 3 END)";

/** A delivery with whose it is (DeliveryReportTarget), for reports and for its webhook events. */
const targetSelect = `SELECT d.delivery_id AS "deliveryId", d.provider, d.report_token_hash AS "reportTokenHash", d.provider_ref_hash AS "providerRefHash", d.status,
  d.channel, d.link_id AS "linkId", l.message_id AS "messageId", m.sender_id AS "senderId"
  FROM deliveries d JOIN links l ON l.id = d.link_id JOIN messages m ON m.id = l.message_id`;

export const deliverySql = {
  start: `INSERT INTO deliveries (delivery_id, link_id, channel, recipient_hint, status, provider, report_token_hash, parts, lease_until, created_at, updated_at)
          VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
  advance: `UPDATE deliveries SET status = ?, reason = ?, provider_error = ?, provider_ref_hash = COALESCE(?, provider_ref_hash),
            parts = COALESCE(?, parts), lease_until = NULL, updated_at = ?
            WHERE delivery_id = ? AND ${rankOfColumn} < ?`,
  reportTarget: `${targetSelect} WHERE d.delivery_id = ?`,
  /** Pending deliveries whose lease ended: their process died while handing them over. */
  stale: `${targetSelect} WHERE d.status = 'pending' AND d.lease_until < ?`,
  /** A webhook job queued with the state change that it reports (DeliveryStore.advance), same columns as WebhookStore.enqueue. */
  insertJob: 'INSERT INTO webhook_jobs (id, endpoint_id, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)',
  interrupt: `UPDATE deliveries SET status = 'failed', reason = 'interrupted', lease_until = NULL, updated_at = ?
              WHERE delivery_id = ? AND status = 'pending' AND lease_until < ?`,
  /** For MessageStore.details: a message's deliveries in creation order. */
  ofMessage: `SELECT d.delivery_id AS "deliveryId", d.link_id AS "linkId", d.channel, d.recipient_hint AS "recipientHint", d.status,
              d.reason, d.provider_error AS "providerError", d.parts, d.lease_until AS "leaseUntil", d.updated_at AS at
              FROM deliveries d JOIN links l ON l.id = d.link_id WHERE l.message_id = ? ORDER BY d.id`,
};

/** What both engines bind: text, numbers and nulls. */
type SqlValue = string | number | null;

/** The values of `deliverySql.start`, in its placeholders' order. */
export function startValues(d: NewDelivery): SqlValue[] {
  return [d.deliveryId, d.linkId, d.channel, d.recipientHint, d.provider, d.reportTokenHash, d.parts, d.leaseUntil, d.at, d.at];
}

/** The values of `deliverySql.advance`, in its placeholders' order. */
export function advanceValues(deliveryId: string, o: DeliveryOutcome, now: Millis): SqlValue[] {
  return [o.status, o.reason ?? null, o.providerError ?? null, o.providerRefHash ?? null, o.parts ?? null, now, deliveryId, deliveryRank[o.status]];
}

/** The values of `deliverySql.insertJob`. */
export function jobValues(job: NewWebhookJob): SqlValue[] {
  return [job.id, job.endpointId, job.body, job.createdAt, job.createdAt];
}

/** `?` → `$1, $2, …` for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
