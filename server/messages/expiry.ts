import { quotaWindowMs } from './quotas.js';
import type { AppDeps } from '../deps.js';
import type { Store } from '../store/types.js';
import { emitEvent } from '../webhooks/events.js';

/**
 * The purge job (at start and periodically): expired messages lose their ciphertext,
 * revoked ones that a crash left with payloads lose them, uploads abandoned for a day
 * disappear, blobs whose message is gone are deleted, and spent tokens, verifications
 * and rate-limit windows are deleted; SMS deliveries whose process died mid-send (lease
 * ended) become failed, `interrupted`.
 * Status rows of expired and revoked messages stay 90 days so links answer 410.
 * Several processes may purge at once: every step is idempotent.
 */
const abandonedUploadMs = 24 * 3600_000;
const keepStatusMs = 90 * 86_400_000;
/** Delivered and abandoned webhook jobs are kept a week (for support), then forgotten. */
const keepWebhookJobsMs = 7 * 86_400_000;

export async function purge({ store, blobs, clock, logger, config }: Pick<AppDeps, 'store' | 'blobs' | 'clock' | 'logger' | 'config'>) {
  const now = clock.now();
  const expiredIds = await store.messages.expireDue(now);
  for (const messageId of expiredIds) await emitExpired(store, messageId, now);
  const expired = expiredIds.length;
  const unpurged = await store.messages.listUnpurged();
  for (const { messageId, payloadCount } of unpurged) {
    await blobs.deleteMessage(messageId, payloadCount);
    await store.messages.markPurged(messageId, now);
  }
  const abandoned = await store.messages.listAbandoned(now - abandonedUploadMs);
  for (const { messageId, payloadCount } of abandoned) {
    // Only if it is still uploading: an upload may have completed it a moment ago.
    if (await store.messages.deleteUploading(messageId)) await blobs.deleteMessage(messageId, payloadCount);
  }
  const forgotten = await store.messages.forgetPurged(now - keepStatusMs);
  await store.releaseTokens.deleteExpired(now);
  await store.verifications.deleteExpired(now);
  // Toolbox sessions past their timeouts, ended BankID sign-ins and WebAuthn challenges.
  await store.accounts.deleteExpiredSessions(now - config.sessionIdleMs, now - config.sessionMaxMs);
  await store.accounts.deleteExpired(now);
  // The senders' daily quotas live in the same counters: keep a day of them.
  await store.rateLimits.deleteBefore(now - Math.max(config.rateWindowMs, quotaWindowMs));
  const interrupted = await store.deliveries.interruptStale(now);
  await store.webhooks.forgetFinished(now - keepWebhookJobsMs);
  const leftovers = await blobs.removeLeftovers(3600_000);
  const orphans = await removeOrphans({ store, blobs });
  if (expired + unpurged.length + abandoned.length + forgotten + leftovers + orphans + interrupted > 0) {
    logger.info({ event: 'purge', expired, purged: unpurged.length, abandoned: abandoned.length, forgotten, leftovers, orphans, interrupted }, 'purged');
  }
}

/**
 * Deletes blobs whose message is gone (a process that died between deleting a message
 * and its blobs leaves them). A message's row exists before any of its uploads begins,
 * so a blob without one is never an upload in progress.
 */
async function removeOrphans({ store, blobs }: Pick<AppDeps, 'store' | 'blobs'>): Promise<number> {
  const known = new Map<string, boolean>();
  const orphans = new Map<string, number>();
  for await (const { messageId, index } of blobs.list()) {
    let exists = known.get(messageId);
    if (exists === undefined) {
      exists = await store.messages.exists(messageId);
      known.set(messageId, exists);
    }
    if (!exists) orphans.set(messageId, Math.max(orphans.get(messageId) ?? 0, index + 1));
  }
  for (const [messageId, payloadCount] of orphans) await blobs.deleteMessage(messageId, payloadCount);
  return orphans.size;
}

/** message.expired to the message's sender's endpoints. */
async function emitExpired(store: Store, messageId: string, now: number): Promise<void> {
  const message = await store.messages.get(messageId);
  if (message) await emitEvent(store, message.senderId, 'message.expired', { messageId }, now);
}
