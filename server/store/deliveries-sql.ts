import type { DeliveryOutcome, DeliveryState, Millis, NewDelivery } from './types.js';

/**
 * The delivery SQL both engines share (placeholders are `?` here; PostgreSQL's back end
 * numbers them). A state moves only forward: its rank must grow, in one conditional update.
 */
export const deliveryRank: Record<DeliveryState, number> = { pending: 0, sent: 1, delayed: 2, delivered: 3, failed: 3 };

const rankOfColumn = "(CASE status WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delayed' THEN 2 ELSE 3 END)";

export const deliverySql = {
  start: `INSERT INTO deliveries (delivery_id, link_id, channel, recipient_hint, status, provider, report_token_hash, parts, lease_until, created_at, updated_at)
          VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
  advance: `UPDATE deliveries SET status = ?, reason = ?, provider_error = ?, provider_ref_hash = COALESCE(?, provider_ref_hash),
            parts = COALESCE(?, parts), lease_until = NULL, updated_at = ?
            WHERE delivery_id = ? AND ${rankOfColumn} < ?`,
  reportTarget: `SELECT delivery_id AS "deliveryId", provider, report_token_hash AS "reportTokenHash", provider_ref_hash AS "providerRefHash", status
                 FROM deliveries WHERE delivery_id = ?`,
  interruptStale: `UPDATE deliveries SET status = 'failed', reason = 'interrupted', lease_until = NULL, updated_at = ?
                   WHERE status = 'pending' AND lease_until < ?`,
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

/** `?` → `$1, $2, …` for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
