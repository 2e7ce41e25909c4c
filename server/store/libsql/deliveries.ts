import type { DeliveryStore } from '../types.js';
import { query, type Db } from './database.js';

/** What was handed to a transport, per link (masked recipient only). */
export function libsqlDeliveries(db: Db): DeliveryStore {
  return {
    async record(d) {
      query(db, 'INSERT INTO deliveries (link_id, channel, recipient_hint, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        d.linkId,
        d.channel,
        d.recipientHint,
        d.status,
        d.at,
        d.at,
      );
    },
  };
}
