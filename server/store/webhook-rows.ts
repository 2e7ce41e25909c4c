import type { ClaimedWebhookJob, WebhookEndpointRecord, WebhookJobRecord } from './webhook-types.js';

/** Webhook rows as both SQL back ends return them, and their records. */
export interface EndpointRow {
  id: string;
  sender_id: string;
  url: string;
  events: string;
  sealed_secrets: string;
  enabled: number | boolean;
  failure_count: number;
  last_failure_at: number | null;
  last_failure: string | null;
  created_at: number;
}

export const endpointColumns = 'id, sender_id, url, events, sealed_secrets, enabled, failure_count, last_failure_at, last_failure, created_at';

export function endpointOf(row: EndpointRow): WebhookEndpointRecord {
  return {
    id: row.id,
    senderId: row.sender_id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    sealedSecrets: row.sealed_secrets,
    enabled: Boolean(row.enabled),
    failureCount: row.failure_count,
    lastFailureAt: row.last_failure_at,
    lastFailure: row.last_failure,
    createdAt: row.created_at,
  };
}

export interface ClaimedRow {
  id: string;
  endpoint_id: string;
  url: string;
  sealed_secrets: string;
  body: string;
  attempts: number;
}

export const claimedOf = (row: ClaimedRow): ClaimedWebhookJob => ({
  id: row.id,
  endpointId: row.endpoint_id,
  url: row.url,
  sealedSecrets: row.sealed_secrets,
  body: row.body,
  attempts: row.attempts,
});

export interface JobRow {
  id: string;
  endpoint_id: string;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  failed_at: number | null;
}

export const jobOf = (row: JobRow): WebhookJobRecord => ({
  id: row.id,
  endpointId: row.endpoint_id,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  deliveredAt: row.delivered_at,
  failedAt: row.failed_at,
});

