import type { DeliveryReportTarget, DeliveryStore } from '../types.js';
import { deliveryRank, deliverySql } from '../deliveries-sql.js';
import { query, type Db } from './database.js';

/** SMS deliveries in the libsql file (masked recipient only; tokens and provider ids hashed). */
export function libsqlDeliveries(db: Db): DeliveryStore {
  return {
    async start(d) {
      query(db, deliverySql.start).run(d.deliveryId, d.linkId, d.channel, d.recipientHint, d.provider, d.reportTokenHash, d.parts, d.leaseUntil, d.at, d.at);
    },
    async advance(deliveryId, o, now) {
      const { changes } = query(db, deliverySql.advance).run(
        o.status,
        o.reason ?? null,
        o.providerError ?? null,
        o.providerRefHash ?? null,
        o.parts ?? null,
        now,
        deliveryId,
        deliveryRank[o.status],
      );
      return changes === 1;
    },
    async reportTarget(deliveryId) {
      const row = query<DeliveryReportTarget>(db, deliverySql.reportTarget).get(deliveryId);
      if (!row) return undefined;
      const { provider, reportTokenHash, providerRefHash, status } = row; // libsql's row carries _metadata too
      return { deliveryId: row.deliveryId, provider, reportTokenHash, providerRefHash, status };
    },
    async interruptStale(now) {
      return query(db, deliverySql.interruptStale).run(now, now).changes;
    },
  };
}
