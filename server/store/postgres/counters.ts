import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { encodeBase64url } from '../../../shared/base64url.js';
import type { DeliveryReportTarget, DeliveryStore, MetaStore, RateLimitStore } from '../types.js';
import { advanceValues, deliverySql, jobValues, numbered, startValues } from '../deliveries-sql.js';
import { changes, rows, transaction } from './pool.js';

/** Deliveries, rate-limit windows and per-database secrets in PostgreSQL. */
export function postgresDeliveries(pool: pg.Pool): DeliveryStore {
  return {
    async start(d) {
      await changes(pool, numbered(deliverySql.start), startValues(d));
    },
    async advance(deliveryId, o, now, jobs = []) {
      const advance = numbered(deliverySql.advance);
      if (jobs.length === 0) return (await changes(pool, advance, advanceValues(deliveryId, o, now))) === 1;
      return transaction(pool, async (client) => {
        const moved = (await changes(client, advance, advanceValues(deliveryId, o, now))) === 1;
        if (moved) for (const job of jobs) await changes(client, numbered(deliverySql.insertJob), jobValues(job));
        return moved;
      });
    },
    async reportTarget(deliveryId) {
      const [row] = await rows<DeliveryReportTarget>(pool, numbered(deliverySql.reportTarget), [deliveryId]);
      return row;
    },
    async interruptStale(now) {
      return changes(pool, numbered(deliverySql.interruptStale), [now, now]);
    },
  };
}

/** One atomic upsert per count, so processes counting the same key at once never lose one. */
export function postgresRateLimits(pool: pg.Pool): RateLimitStore {
  return {
    async take(key, now, windowMs) {
      const [row] = await rows<{ count: number }>(
        pool,
        `INSERT INTO rate_limits AS r (key, window_start, count) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN r.window_start <= $3 THEN 1 ELSE r.count + 1 END,
           window_start = CASE WHEN r.window_start <= $3 THEN $2 ELSE r.window_start END
         RETURNING count`,
        [key, now, now - windowMs],
      );
      return row!.count;
    },
    async count(key, now, windowMs) {
      const [row] = await rows<{ count: number }>(pool, 'SELECT count FROM rate_limits WHERE key = $1 AND window_start > $2', [key, now - windowMs]);
      return row?.count ?? 0;
    },
    async deleteBefore(windowStartBefore) {
      return changes(pool, 'DELETE FROM rate_limits WHERE window_start <= $1', [windowStartBefore]);
    },
  };
}

export function postgresMeta(pool: pg.Pool): MetaStore {
  return {
    async secret(name) {
      await changes(pool, 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [name, encodeBase64url(randomBytes(32))]);
      const [row] = await rows<{ value: string }>(pool, 'SELECT value FROM meta WHERE key = $1', [name]);
      return row!.value;
    },
  };
}
