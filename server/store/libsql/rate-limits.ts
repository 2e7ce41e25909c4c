import type { RateLimitStore } from '../types.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

/** Fixed-window counters, one row per key. */
export function libsqlRateLimits(db: Db): RateLimitStore {
  return {
    async take(key, now, windowMs) {
      // Under the write lock first (BEGIN IMMEDIATE, which waits its busy_timeout): as a
      // statement of its own it would take a read snapshot and then upgrade it, which
      // SQLite refuses at once (SQLITE_BUSY_SNAPSHOT, no wait) when another process
      // wrote in between, a 500 with several workers.
      return inTransaction(db, () => query<{ count: number }>(
        db,
        `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN window_start <= ?3 THEN 1 ELSE count + 1 END,
           window_start = CASE WHEN window_start <= ?3 THEN ?2 ELSE window_start END
         RETURNING count`,
      ).get(key, now, now - windowMs)!.count);
    },
    async count(key, now, windowMs) {
      return query<{ count: number }>(db, 'SELECT count FROM rate_limits WHERE key = ? AND window_start > ?').get(key, now - windowMs)?.count ?? 0;
    },
    async deleteBefore(windowStartBefore) {
      return query(db, 'DELETE FROM rate_limits WHERE window_start <= ?').run(windowStartBefore).changes;
    },
  };
}
