import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { encodeBase64url } from '../../../shared/base64url.js';
import type { DeliveryReportTarget, DeliveryStore, MetaStore, RateLimitStore } from '../types.js';
import type { NewWebhookJob } from '../webhook-types.js';
import { advanceValues, deliverySql, jobValues, numbered, startValues } from '../deliveries-sql.js';
import { changes, rows, transaction } from './pool.js';

/** Deliveries, rate-limit windows and per-database secrets in PostgreSQL. */
export function postgresDeliveries(pool: pg.Pool): DeliveryStore {
  /** One conditional update and, when it changed the row, the jobs that report it: one transaction. */
  const moveWith = async (sql: string, values: unknown[], jobs: readonly NewWebhookJob[]) => {
    if (jobs.length === 0) return (await changes(pool, numbered(sql), values)) === 1;
    return transaction(pool, async (client) => {
      const moved = (await changes(client, numbered(sql), values)) === 1;
      if (moved) for (const job of jobs) await changes(client, numbered(deliverySql.insertJob), jobValues(job));
      return moved;
    });
  };
  return {
    async start(d) {
      await changes(pool, numbered(deliverySql.start), startValues(d));
    },
    async advance(deliveryId, o, now, jobs = []) {
      return moveWith(deliverySql.advance, advanceValues(deliveryId, o, now), jobs);
    },
    async reportTarget(deliveryId) {
      const [row] = await rows<DeliveryReportTarget>(pool, numbered(deliverySql.reportTarget), [deliveryId]);
      return row;
    },
    async stale(now) {
      return rows<DeliveryReportTarget>(pool, numbered(deliverySql.stale), [now]);
    },
    async interrupt(deliveryId, now, jobs = []) {
      return moveWith(deliverySql.interrupt, [now, deliveryId, now], jobs);
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
