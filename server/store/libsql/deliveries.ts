import type { DeliveryReportTarget, DeliveryStore } from '../types.js';
import { advanceValues, deliverySql, jobValues, startValues } from '../deliveries-sql.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

/** SMS deliveries in the libsql file (masked recipient only; tokens and provider ids hashed). */
export function libsqlDeliveries(db: Db): DeliveryStore {
  return {
    async start(d) {
      query(db, deliverySql.start).run(...startValues(d));
    },
    async advance(deliveryId, o, now, jobs = []) {
      return inTransaction(db, () => {
        const moved = query(db, deliverySql.advance).run(...advanceValues(deliveryId, o, now)).changes === 1;
        if (moved) for (const job of jobs) query(db, deliverySql.insertJob).run(...jobValues(job));
        return moved;
      });
    },
    async reportTarget(deliveryId) {
      const row = query<DeliveryReportTarget>(db, deliverySql.reportTarget).get(deliveryId);
      if (!row) return undefined;
      const { provider, reportTokenHash, providerRefHash, status, channel, linkId, messageId, senderId } = row; // libsql's row carries _metadata too
      return { deliveryId: row.deliveryId, provider, reportTokenHash, providerRefHash, status, channel, linkId, messageId, senderId };
    },
    async interruptStale(now) {
      return query(db, deliverySql.interruptStale).run(now, now).changes;
    },
  };
}
