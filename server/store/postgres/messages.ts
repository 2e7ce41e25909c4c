import type pg from 'pg';
import { StoreError } from '../errors.js';
import { insertMessageSql, linkColumns, linkOf, messageColumns, messageOf, newMessageValues, type LinkRow, type MessageRow } from '../rows.js';
import type { DeliveryRecord, MessageStore, ReceiptRecord } from '../types.js';
import { deliverySql, numbered } from '../deliveries-sql.js';
import { changes, rows, transaction, type Executor } from './pool.js';

const withCount = 'SELECT id AS "messageId", json_array_length(payload_lengths::json) AS "payloadCount" FROM messages';
const uniqueViolation = '23505';

/** Messages, their links' status, deliveries and receipts in PostgreSQL. */
export function postgresMessages(pool: pg.Pool): MessageStore {
  const forgetAccess = async (on: Executor, messageIds: string[]) => {
    await changes(on, 'DELETE FROM release_tokens WHERE link_id IN (SELECT id FROM links WHERE message_id = ANY($1))', [messageIds]);
    await changes(on, 'DELETE FROM verifications WHERE link_id IN (SELECT id FROM links WHERE message_id = ANY($1))', [messageIds]);
  };
  const get = async (messageId: string) => {
    const [row] = await rows<MessageRow>(pool, `SELECT ${messageColumns} FROM messages WHERE id = $1`, [messageId]);
    return row && messageOf(row);
  };

  return {
    async create(message) {
      try {
        await transaction(pool, async (client) => {
          await changes(client, numbered(insertMessageSql), newMessageValues(message));
          // One statement for all links: one round trip, whatever their number.
          await changes(
            client,
            `INSERT INTO links (id, message_id, position, readers, label)
             SELECT id, $1, position - 1, readers, label FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS l (id, readers, label, position)`,
            [message.id, message.links.map((l) => l.id), message.links.map((l) => JSON.stringify(l.readers)), message.links.map((l) => l.label)],
          );
        });
      } catch (error) {
        const { code, constraint } = error as { code?: unknown; constraint?: unknown };
        if (code !== uniqueViolation) throw error;
        if (constraint === 'messages_pkey') throw new StoreError('message_exists', 'a message with this id exists');
        throw new StoreError('link_exists', 'a link id is already in use');
      }
    },
    get,
    async details(messageId) {
      const message = await get(messageId);
      if (!message) return undefined;
      const [links, deliveries, receipts] = await Promise.all([
        rows<LinkRow>(pool, `SELECT ${linkColumns} FROM links WHERE message_id = $1 ORDER BY position`, [messageId]),
        rows<DeliveryRecord>(pool, numbered(deliverySql.ofMessage), [messageId]),
        rows<ReceiptRecord>(pool, 'SELECT link_id AS "linkId", sealed, created_at AS at FROM receipts WHERE message_id = $1 ORDER BY id', [messageId]),
      ]);
      return { message, links: links.map(linkOf), deliveries, receipts };
    },
    async listBySender(senderId, before, limit, userId) {
      const found = await rows<MessageRow>(
        pool,
        `SELECT ${messageColumns} FROM messages WHERE sender_id = $1 AND created_at < $2 AND ($4::text IS NULL OR user_id = $4) ORDER BY created_at DESC LIMIT $3`,
        [senderId, before, limit, userId ?? null],
      );
      return found.map(messageOf);
    },
    async countStoredPayload(messageId, index) {
      // One statement: the mark is made only for an uploading message, and the count
      // moves only when the mark is new.
      const [row] = await rows<{ state: 'uploading' | 'ready' }>(
        pool,
        `WITH marked AS (
           INSERT INTO stored_payloads (message_id, payload_index)
           SELECT id, $2 FROM messages WHERE id = $1 AND state = 'uploading'
           ON CONFLICT DO NOTHING RETURNING message_id
         )
         UPDATE messages SET payloads_stored = payloads_stored + 1,
           state = CASE WHEN payloads_stored + 1 = json_array_length(payload_lengths::json) THEN 'ready' ELSE state END
         WHERE id = (SELECT message_id FROM marked) AND state = 'uploading'
         RETURNING state`,
        [messageId, index],
      );
      if (row) return row.state;
      const [counted] = await rows(pool, 'SELECT 1 FROM stored_payloads WHERE message_id = $1 AND payload_index = $2', [messageId, index]);
      return counted ? 'duplicate' : undefined;
    },
    async revoke(messageId, now) {
      return transaction(pool, async (client) => {
        const revoked = await changes(client, "UPDATE messages SET state = 'revoked', revoked_at = coalesce(revoked_at, $1), errand = '' WHERE id = $2", [now, messageId]);
        await forgetAccess(client, [messageId]);
        return revoked === 1;
      });
    },
    async revokeBySender(senderId, now) {
      return transaction(pool, async (client) => {
        const live = await rows<{ messageId: string; payloadCount: number }>(
          client,
          `UPDATE messages SET state = 'revoked', revoked_at = coalesce(revoked_at, $1), errand = '' WHERE sender_id = $2 AND state IN ('ready', 'uploading')
           RETURNING id AS "messageId", json_array_length(payload_lengths::json) AS "payloadCount"`,
          [now, senderId],
        );
        if (live.length > 0) await forgetAccess(client, live.map((m) => m.messageId));
        return live;
      });
    },
    async markPurged(messageId, now) {
      await changes(pool, 'UPDATE messages SET purged_at = $1 WHERE id = $2', [now, messageId]);
    },
    async expireDue(now) {
      return transaction(pool, async (client) => {
        const expired = await rows<{ id: string }>(
          client,
          "UPDATE messages SET state = 'expired', errand = '' WHERE state IN ('ready', 'uploading') AND expires_at <= $1 RETURNING id",
          [now],
        );
        const ids = expired.map((row) => row.id);
        if (ids.length > 0) await forgetAccess(client, ids);
        return ids;
      });
    },
    async listUnpurged() {
      return rows<{ messageId: string; payloadCount: number }>(pool, `${withCount} WHERE state IN ('expired', 'revoked') AND purged_at IS NULL`);
    },
    async listAbandoned(createdBefore) {
      return rows<{ messageId: string; payloadCount: number }>(pool, `${withCount} WHERE state = 'uploading' AND created_at <= $1`, [createdBefore]);
    },
    async deleteUploading(messageId) {
      return (await changes(pool, "DELETE FROM messages WHERE id = $1 AND state = 'uploading'", [messageId])) === 1;
    },
    async forgetPurged(purgedBefore) {
      return changes(pool, "DELETE FROM messages WHERE state IN ('expired', 'revoked') AND purged_at <= $1", [purgedBefore]);
    },
    async exists(messageId) {
      return (await rows(pool, 'SELECT 1 FROM messages WHERE id = $1', [messageId])).length > 0;
    },
  };
}
