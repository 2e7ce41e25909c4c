import { quotaWindowMs } from './quotas.js';
import type { AppDeps } from '../deps.js';

/**
 * The purge job (at start and periodically): expired messages lose their ciphertext,
 * revoked ones that a crash left with payloads lose them, uploads abandoned for a day
 * disappear, and spent tokens, verifications and rate-limit windows are deleted.
 * Status rows of expired and revoked messages stay 90 days so links answer 410.
 * Several processes may purge at once: every step is idempotent.
 */
const abandonedUploadMs = 24 * 3600_000;
const keepStatusMs = 90 * 86_400_000;

export async function purge({ store, blobs, clock, logger, config }: Pick<AppDeps, 'store' | 'blobs' | 'clock' | 'logger' | 'config'>) {
  const now = clock.now();
  const expired = (await store.messages.expireDue(now)).length;
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
  // The senders' daily quotas live in the same counters: keep a day of them.
  await store.rateLimits.deleteBefore(now - Math.max(config.rateWindowMs, quotaWindowMs));
  const leftovers = await blobs.removeLeftovers(3600_000);
  if (expired + unpurged.length + abandoned.length + forgotten + leftovers > 0) {
    logger.info({ event: 'purge', expired, purged: unpurged.length, abandoned: abandoned.length, forgotten, leftovers }, 'purged');
  }
}
