import { createHmac } from 'node:crypto';
import type { Db } from '../store/database.js';
import { databaseSecret } from '../store/meta.js';

/**
 * Fixed-window counters kept in the database, so every server process counts together.
 * Keys (a link, an IP address) are stored as HMACs under a per-database secret.
 *
 * @example
 * const limits = createRateLimits(db, 600_000);
 * if (!limits.take('start:ip', ip, 30, now)) throw new AppError(429, …);
 */
export interface RateLimits {
  /** Counts one more; false when that goes over `limit` in the current window. */
  take(kind: string, subject: string, limit: number, now: number): boolean;
  /** Whether `subject` is already at `limit` in the current window (counts nothing). */
  exhausted(kind: string, subject: string, limit: number, now: number): boolean;
}

export function createRateLimits(db: Db, windowMs: number): RateLimits {
  const secret = databaseSecret(db, 'rate_limit_key');
  const keyOf = (kind: string, subject: string) => `${kind}:${createHmac('sha256', secret).update(subject).digest('base64url')}`;
  const take = db.prepare(
    `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN window_start <= ?3 THEN 1 ELSE count + 1 END,
       window_start = CASE WHEN window_start <= ?3 THEN ?2 ELSE window_start END
     RETURNING count`,
  );
  const read = db.prepare('SELECT count FROM rate_limits WHERE key = ? AND window_start > ?');
  return {
    take(kind, subject, limit, now) {
      const row = take.get(keyOf(kind, subject), now, now - windowMs) as { count: number };
      return row.count <= limit;
    },
    exhausted(kind, subject, limit, now) {
      const row = read.get(keyOf(kind, subject), now - windowMs) as { count: number } | undefined;
      return (row?.count ?? 0) >= limit;
    },
  };
}
