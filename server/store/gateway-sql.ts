import type { GatewaySenderRecord, GatewayStore } from './gateway-types.js';

/**
 * The gateway store, once for both engines: each engine gives a way to run a statement
 * (`?` placeholders; PostgreSQL's numbers them) and get its rows or its change count.
 */
export interface SqlRunner {
  rows<Row>(sql: string, values: (string | number | null)[]): Promise<Row[]>;
  changes(sql: string, values: (string | number | null)[]): Promise<number>;
}

const senderColumns = 'g.address_hash AS "addressHash", g.sender_id AS "senderId", g.user_id AS "userId", g.receipt_key AS "receiptKey", g.created_at AS "createdAt"';

export function gatewayStore(sql: SqlRunner): GatewayStore {
  return {
    async allow(record: GatewaySenderRecord) {
      await sql.changes(
        `INSERT INTO gateway_senders (address_hash, sender_id, user_id, receipt_key, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (address_hash) DO UPDATE SET sender_id = excluded.sender_id, user_id = excluded.user_id, receipt_key = excluded.receipt_key, created_at = excluded.created_at`,
        [record.addressHash, record.senderId, record.userId, record.receiptKey, record.createdAt],
      );
    },
    async disallow(addressHash) {
      return (await sql.changes('DELETE FROM gateway_senders WHERE address_hash = ?', [addressHash])) === 1;
    },
    async senderByAddress(addressHash) {
      const [row] = await sql.rows<GatewaySenderRecord>(
        `SELECT ${senderColumns} FROM gateway_senders g JOIN senders s ON s.id = g.sender_id WHERE g.address_hash = ? AND s.revoked_at IS NULL`,
        [addressHash],
      );
      return row === undefined ? undefined : { ...row, createdAt: Number(row.createdAt) };
    },
    async claimMail(mailKey, senderId, now, staleBefore) {
      const claimed = await sql.rows<{ messageIds: string; delivered: string }>(
        `INSERT INTO gateway_mails (mail_key, sender_id, state, message_ids, delivered, updated_at) VALUES (?, ?, 'open', '[]', '[]', ?)
         ON CONFLICT (mail_key) DO UPDATE SET updated_at = excluded.updated_at
         WHERE gateway_mails.state = 'open' AND gateway_mails.updated_at < ?
         RETURNING message_ids AS "messageIds", delivered`,
        [mailKey, senderId, now, staleBefore],
      );
      if (claimed.length === 1) return { state: 'new', messageIds: JSON.parse(claimed[0]!.messageIds) as string[], delivered: JSON.parse(claimed[0]!.delivered) as number[] };
      const [row] = await sql.rows<{ state: 'open' | 'done' }>('SELECT state FROM gateway_mails WHERE mail_key = ?', [mailKey]);
      return { state: row?.state ?? 'open', messageIds: [], delivered: [] };
    },
    async recordMail(mailKey, progress, now) {
      return (
        (await sql.changes(`UPDATE gateway_mails SET state = ?, message_ids = ?, delivered = ?, updated_at = ? WHERE mail_key = ? AND state = 'open'`, [
          progress.done ? 'done' : 'open',
          JSON.stringify(progress.messageIds),
          JSON.stringify(progress.delivered),
          now,
          mailKey,
        ])) === 1
      );
    },
    async releaseMail(mailKey) {
      await sql.changes(`UPDATE gateway_mails SET updated_at = 0 WHERE mail_key = ? AND state = 'open'`, [mailKey]);
    },
  };
}
