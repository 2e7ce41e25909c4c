import type { DeliveryOutcome, DeliveryReportTarget, Millis, Store } from '../store/types.js';
import { webhookJobs, wakeWebhookWorker, type WebhookEventType } from '../webhooks/events.js';

/**
 * The one way a delivery moves forward: the conditional update and the webhook event that
 * reports it (`delivery.sent`, `delivery.delivered`, `delivery.failed`; a `delayed` DSN
 * sends none) go into the store in one transaction, so the event is queued exactly when
 * the state changed: a replayed or late report, or a relay whose report came first, sends
 * nothing. The event carries ids, the channel and, for a failure, the provider's code (or
 * our reason when it gave none), never the address or the text.
 *
 * @example
 * await advanceDelivery(store, target, { status: 'delivered' }, clock.now()) // true: moved, event queued
 */
export type DeliveryStores = Pick<Store, 'deliveries' | 'webhooks'>;

const eventOf: Partial<Record<DeliveryOutcome['status'], WebhookEventType>> = {
  sent: 'delivery.sent',
  delivered: 'delivery.delivered',
  failed: 'delivery.failed',
};

/** The webhook jobs that report `outcome` of `target` (none for `delayed`, or when no endpoint wants them). */
async function jobsFor(store: DeliveryStores, target: DeliveryReportTarget, outcome: DeliveryOutcome, now: Millis) {
  const type = eventOf[outcome.status];
  const errorCode = outcome.status === 'failed' ? (outcome.providerError ?? outcome.reason ?? 'failed') : undefined;
  const data = { messageId: target.messageId, linkId: target.linkId, channel: target.channel, ...(errorCode ? { errorCode } : {}) };
  return type ? webhookJobs(store, target.senderId, type, data, now) : [];
}

export async function advanceDelivery(store: DeliveryStores, target: DeliveryReportTarget, outcome: DeliveryOutcome, now: Millis): Promise<boolean> {
  const jobs = await jobsFor(store, target, outcome, now);
  const moved = await store.deliveries.advance(target.deliveryId, outcome, now, jobs);
  if (moved && jobs.length > 0) wakeWebhookWorker();
  return moved;
}

/** advanceDelivery for a delivery known by its id (the relays, which started it); false when there is no such delivery. */
export async function advanceDeliveryById(store: DeliveryStores, deliveryId: string, outcome: DeliveryOutcome, now: Millis): Promise<boolean> {
  const target = await store.deliveries.reportTarget(deliveryId);
  return target ? advanceDelivery(store, target, outcome, now) : false;
}

/**
 * Pending deliveries whose lease ended (their process died mid-hand-over; a link never
 * touches the disk, so they cannot be retried) become failed, reason `interrupted`, each
 * with its `delivery.failed` (errorCode `interrupted`) in the same transaction, so the
 * sender's client offers to resend it. Returns how many. Several processes may run it.
 */
export async function interruptStaleDeliveries(store: DeliveryStores, now: Millis): Promise<number> {
  let interrupted = 0;
  for (const target of await store.deliveries.stale(now)) {
    const jobs = await jobsFor(store, target, { status: 'failed', reason: 'interrupted' }, now);
    if (await store.deliveries.interrupt(target.deliveryId, now, jobs)) {
      interrupted++;
      if (jobs.length > 0) wakeWebhookWorker();
    }
  }
  return interrupted;
}
