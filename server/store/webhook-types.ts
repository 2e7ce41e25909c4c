import type { Millis } from './types.js';

/**
 * The webhook endpoints and their durable outbox (server/webhooks/). An endpoint's
 * signing secrets arrive here already sealed (server/webhooks/secrets.ts): nothing a
 * store is given is a secret in the clear. A job is one event for one endpoint; its id
 * is the `webhook-id` every attempt carries.
 *
 * A job is claimed under a lease (`leasedUntil`, `leaseOwner`): one conditional update
 * (PostgreSQL: `FOR UPDATE SKIP LOCKED`), so two processes never hold one job at once;
 * its outcome is recorded only by the lease's owner.
 */
export interface WebhookEndpointRecord {
  id: string;
  senderId: string;
  url: string;
  /** Event types this endpoint wants; empty: every event. */
  events: string[];
  /** The signing secrets, sealed. */
  sealedSecrets: string;
  enabled: boolean;
  failureCount: number;
  lastFailureAt: Millis | null;
  /** A short code (`http_500`, `timeout`, `refused_address`…), never a response body. */
  lastFailure: string | null;
  createdAt: Millis;
}

export interface NewWebhookJob {
  id: string;
  endpointId: string;
  /** The JSON body sent: `{type, timestamp, data}` (ids only). */
  body: string;
  createdAt: Millis;
}

/** A claimed job, with what its delivery needs of its endpoint. */
export interface ClaimedWebhookJob {
  id: string;
  endpointId: string;
  url: string;
  sealedSecrets: string;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
}

export interface WebhookJobRecord {
  id: string;
  endpointId: string;
  attempts: number;
  nextAttemptAt: Millis;
  deliveredAt: Millis | null;
  failedAt: Millis | null;
}

export interface WebhookStore {
  createEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  /** A sender's endpoints, oldest first. */
  listEndpoints(senderId: string): Promise<WebhookEndpointRecord[]>;
  getEndpoint(senderId: string, endpointId: string): Promise<WebhookEndpointRecord | undefined>;
  /** Deletes an endpoint and its jobs; false when the sender has no such endpoint. */
  deleteEndpoint(senderId: string, endpointId: string): Promise<boolean>;
  /** Replaces the sealed secrets (rotation); false when the sender has no such endpoint. */
  setSecrets(senderId: string, endpointId: string, sealedSecrets: string): Promise<boolean>;
  /** Enables a disabled endpoint again, with its failure count reset. */
  enable(senderId: string, endpointId: string): Promise<boolean>;
  /** Queues jobs, due at once. */
  enqueue(jobs: NewWebhookJob[]): Promise<void>;
  /** Leases up to `limit` due jobs of enabled endpoints until `leasedUntil` for `leaseOwner`. */
  claim(leaseOwner: string, now: Millis, leasedUntil: Millis, limit: number): Promise<ClaimedWebhookJob[]>;
  /** Marks a leased job delivered and resets its endpoint's failure count; false when the lease is no longer this owner's. */
  delivered(jobId: string, leaseOwner: string, now: Millis): Promise<boolean>;
  /**
   * Records a failed attempt on a leased job and its endpoint: due again at
   * `nextAttemptAt`, or, when null, failed for good and the endpoint disabled.
   */
  failed(jobId: string, leaseOwner: string, failure: string, now: Millis, nextAttemptAt: Millis | null): Promise<boolean>;
  getJob(jobId: string): Promise<WebhookJobRecord | undefined>;
  /** Deletes jobs delivered or given up before `before`; returns how many. */
  forgetFinished(before: Millis): Promise<number>;
}
