import { randomBytes } from 'node:crypto';
import type { Store } from '../store/types.js';
import type { NewWebhookJob, WebhookEndpointRecord } from '../store/webhook-types.js';
import type { WebhookEvent, WebhookEventType } from '../../shared/api/webhooks.js';
export type { WebhookEventType };

/**
 * The events a sender's endpoints receive, and the one way to send one: `emitEvent`,
 * called right after the state change it reports (other capabilities call it in one
 * line: message upload, revoke and expiry, link opened, verification started, read and
 * denied, SMS relay, delivery reports). Payloads are thin, per Standard Webhooks:
 * `{type, timestamp, data}` where data holds ids (and a delivery's state or error
 * code) only, never an errand, an address, an identity or a name: who read stays in
 * the sealed receipt.
 */
export { webhookEventTypes } from '../../shared/api/webhooks.js';

/** Ids only (and a delivery's channel and error code): never an errand, address, identity or name. */
export type WebhookEventData = WebhookEvent['data'];

export function newWebhookId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

export function eventBody(type: WebhookEventType, data: WebhookEventData, now: number): string {
  return JSON.stringify({ type, timestamp: new Date(now).toISOString(), data });
}

export const wants = (endpoint: WebhookEndpointRecord, type: WebhookEventType) =>
  endpoint.enabled && (type === 'webhook.test' || endpoint.events.length === 0 || endpoint.events.includes(type));

/** Listeners woken when this process queues a job (the worker, for a prompt delivery). */
const wakeListeners = new Set<() => void>();

export function onWebhookQueued(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

/** Wakes this process's worker (after jobs were queued some other way, e.g. with a delivery's state change). */
export function wakeWebhookWorker(): void {
  for (const listener of wakeListeners) listener();
}

/**
 * The jobs that report `type` to every enabled endpoint of the sender that wants it, not
 * yet queued: for a store call that queues them with the state change in one transaction
 * (DeliveryStore.advance). Empty when no endpoint wants it.
 *
 * @example
 * const jobs = await webhookJobs(store, target.senderId, 'delivery.delivered', { messageId, linkId, channel: 'sms' }, now);
 * if (await store.deliveries.advance(deliveryId, outcome, now, jobs)) wakeWebhookWorker();
 */
export async function webhookJobs(
  store: Pick<Store, 'webhooks'>,
  senderId: string,
  type: WebhookEventType,
  data: WebhookEventData,
  now: number,
  onlyEndpointId?: string,
): Promise<NewWebhookJob[]> {
  const endpoints = (await store.webhooks.listEndpoints(senderId)).filter(
    (endpoint) => wants(endpoint, type) && (onlyEndpointId === undefined || endpoint.id === onlyEndpointId),
  );
  if (endpoints.length === 0) return [];
  const body = eventBody(type, data, now);
  return endpoints.map((endpoint) => ({ id: newWebhookId(), endpointId: endpoint.id, body, createdAt: now }));
}

/**
 * Queues `type` for every enabled endpoint of the sender that wants it (durably, in the
 * outbox) and wakes this process's worker. Returns the job ids (the `webhook-id`s).
 *
 * @example
 * await emitEvent(store, message.senderId, 'message.ready', { messageId: message.id }, clock.now());
 */
export async function emitEvent(
  store: Store,
  senderId: string,
  type: WebhookEventType,
  data: WebhookEventData,
  now: number,
  onlyEndpointId?: string,
): Promise<string[]> {
  const jobs = await webhookJobs(store, senderId, type, data, now, onlyEndpointId);
  if (jobs.length === 0) return [];
  await store.webhooks.enqueue(jobs);
  wakeWebhookWorker();
  return jobs.map((job) => job.id);
}
