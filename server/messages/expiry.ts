import type { AppDeps } from '../deps.js';
import { inTransaction } from '../store/transactions.js';

/**
 * The purge job (at start and periodically): expired messages lose their ciphertext,
 * revoked ones that a crash left with payloads lose them, uploads abandoned for a day
 * disappear, and spent tokens, verifications and rate-limit windows are deleted.
 * Status rows of expired and revoked messages stay 90 days so links answer 410.
 */
const abandonedUploadMs = 24 * 3600_000;
const keepStatusMs = 90 * 86_400_000;

export async function purge({ db, blobs, clock, logger, config }: Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'logger' | 'config'>) {
  const now = clock.now();
  const expired = inTransaction(db, () => {
    const ids = db
      .prepare("SELECT id FROM messages WHERE state IN ('ready', 'uploading') AND expires_at <= ?")
      .all(now) as { id: string }[];
    for (const { id } of ids) {
      db.prepare("UPDATE messages SET state = 'expired', errand = '' WHERE id = ?").run(id);
      db.prepare('DELETE FROM release_tokens WHERE link_id IN (SELECT id FROM links WHERE message_id = ?)').run(id);
      db.prepare('DELETE FROM verifications WHERE link_id IN (SELECT id FROM links WHERE message_id = ?)').run(id);
    }
    return ids.length;
  });
  const withCount = 'SELECT id, json_array_length(payload_lengths) AS payloads FROM messages';
  const unpurged = db
    .prepare(`${withCount} WHERE state IN ('expired', 'revoked') AND purged_at IS NULL`)
    .all() as { id: string; payloads: number }[];
  for (const { id, payloads } of unpurged) {
    await blobs.remove(id, payloads);
    db.prepare('UPDATE messages SET purged_at = ? WHERE id = ?').run(now, id);
  }
  const abandoned = db
    .prepare(`${withCount} WHERE state = 'uploading' AND created_at <= ?`)
    .all(now - abandonedUploadMs) as { id: string; payloads: number }[];
  for (const { id, payloads } of abandoned) {
    db.prepare('DELETE FROM messages WHERE id = ?').run(id);
    await blobs.remove(id, payloads);
  }
  const forgotten = db.prepare("DELETE FROM messages WHERE state IN ('expired', 'revoked') AND purged_at <= ?").run(now - keepStatusMs).changes;
  db.prepare('DELETE FROM release_tokens WHERE expires_at <= ?').run(now);
  db.prepare('DELETE FROM verifications WHERE expires_at <= ?').run(now);
  db.prepare('DELETE FROM rate_limits WHERE window_start <= ?').run(now - config.rateWindowMs);
  const leftovers = await blobs.removeLeftovers(3600_000);
  if (expired + unpurged.length + abandoned.length + forgotten + leftovers > 0) {
    logger.info({ event: 'purge', expired, purged: unpurged.length, abandoned: abandoned.length, forgotten, leftovers }, 'purged');
  }
}
