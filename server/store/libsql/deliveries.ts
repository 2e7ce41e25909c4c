import type { DeliveryReportTarget, DeliveryStore } from '../types.js';
import type { NewWebhookJob } from '../webhook-types.js';

/** libsql's row carries _metadata too: only the target's fields. */
function targetOf({ deliveryId, provider, reportTokenHash, providerRefHash, status, channel, linkId, messageId, senderId }: DeliveryReportTarget): DeliveryReportTarget {
  return { deliveryId, provider, reportTokenHash, providerRefHash, status, channel, linkId, messageId, senderId };
}
import { advanceValues, deliverySql, jobValues, startValues } from '../deliveries-sql.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

/** SMS deliveries in the libsql file (masked recipient only; tokens and provider ids hashed). */
export function libsqlDeliveries(db: Db): DeliveryStore {
  /** One conditional update and, when it changed the row, the jobs that report it: one transaction. */
  const moveWith = (sql: string, values: (string | number | null)[], jobs: readonly NewWebhookJob[]) =>
    inTransaction(db, () => {
      const moved = query(db, sql).run(...values).changes === 1;
      if (moved) for (const job of jobs) query(db, deliverySql.insertJob).run(...jobValues(job));
      return moved;
    });
  return {
    async start(d) {
      query(db, deliverySql.start).run(...startValues(d));
    },
    async advance(deliveryId, o, now, jobs = []) {
      return moveWith(deliverySql.advance, advanceValues(deliveryId, o, now), jobs);
    },
    async reportTarget(deliveryId) {
      const row = query<DeliveryReportTarget>(db, deliverySql.reportTarget).get(deliveryId);
      return row ? targetOf(row) : undefined;
    },
    async stale(now) {
      return query<DeliveryReportTarget>(db, deliverySql.stale).all(now).map(targetOf);
    },
    async interrupt(deliveryId, now, jobs = []) {
      return moveWith(deliverySql.interrupt, [now, deliveryId, now], jobs);
    },
  };
}
