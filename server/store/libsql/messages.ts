import { StoreError } from '../errors.js';
import type { DeliveryRecord, MessageStore } from '../types.js';
import { deliverySql } from '../deliveries-sql.js';
import { query, type Db } from './database.js';
import { insertMessageSql, linkColumns, linkOf, messageColumns, messageOf, newMessageValues, type LinkRow, type MessageRow } from '../rows.js';
import { inTransaction } from './transactions.js';

const withCount = "SELECT id AS messageId, json_array_length(payload_lengths) AS payloadCount FROM messages";

/** Messages, their links' status, deliveries and receipts in the libsql file. */
export function libsqlMessages(db: Db): MessageStore {
  const forgetAccess = (messageId: string) => {
    query(db, 'DELETE FROM release_tokens WHERE link_id IN (SELECT id FROM links WHERE message_id = ?)').run(messageId);
    query(db, 'DELETE FROM verifications WHERE link_id IN (SELECT id FROM links WHERE message_id = ?)').run(messageId);
  };
  const get = (messageId: string) => {
    const row = query<MessageRow>(db, `SELECT ${messageColumns} FROM messages WHERE id = ?`).get(messageId);
    return row && messageOf(row);
  };

  return {
    async create(message) {
      try {
        // Group commit: concurrent creates share one transaction and one COMMIT.
        await inTransaction(db, () => {
          query(db, insertMessageSql).run(...newMessageValues(message));
          const insertLink = query(db, 'INSERT INTO links (id, message_id, readers, label) VALUES (?, ?, ?, ?)');
          for (const link of message.links) insertLink.run(link.id, message.id, JSON.stringify(link.readers), link.label);
        });
      } catch (error) {
        // The ids are primary keys: a duplicate is refused by the database, and only then told apart.
        if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
        if (query(db, 'SELECT 1 FROM messages WHERE id = ?').get(message.id)) throw new StoreError('message_exists', 'a message with this id exists');
        throw new StoreError('link_exists', 'a link id is already in use');
      }
    },
    async get(messageId) {
      return get(messageId);
    },
    async details(messageId) {
      const message = get(messageId);
      if (!message) return undefined;
      const links = query<LinkRow>(db, `SELECT ${linkColumns} FROM links WHERE message_id = ? ORDER BY rowid`).all(messageId).map(linkOf);
      const deliveries = query<DeliveryRecord>(db, deliverySql.ofMessage).all(messageId);
      const receipts = query<{ linkId: string; sealed: string; at: number }>(
        db,
        'SELECT link_id AS linkId, sealed, created_at AS at FROM receipts WHERE message_id = ? ORDER BY id',
      ).all(messageId);
      return { message, links, deliveries, receipts };
    },
    async listBySender(senderId, before, limit, userId) {
      if (userId !== undefined) {
        return query<MessageRow>(db, `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND user_id = ? AND created_at < ? ORDER BY created_at DESC LIMIT ?`)
          .all(senderId, userId, before, limit)
          .map(messageOf);
      }
      return query<MessageRow>(db, `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND created_at < ? ORDER BY created_at DESC LIMIT ?`)
        .all(senderId, before, limit)
        .map(messageOf);
    },
    async countStoredPayload(messageId, index) {
      // Group commit; both statements in one savepoint under the write lock.
      return inTransaction(db, () => {
        const marked = query(
          db,
          "INSERT OR IGNORE INTO stored_payloads (message_id, payload_index) SELECT id, ? FROM messages WHERE id = ? AND state = 'uploading'",
        ).run(index, messageId).changes;
        if (marked === 0) {
          const counted = query(db, 'SELECT 1 FROM stored_payloads WHERE message_id = ? AND payload_index = ?').get(messageId, index);
          return counted ? ('duplicate' as const) : undefined;
        }
        return query<{ state: 'uploading' | 'ready' }>(
          db,
          `UPDATE messages SET payloads_stored = payloads_stored + 1,
             state = CASE WHEN payloads_stored + 1 = json_array_length(payload_lengths) THEN 'ready' ELSE state END
           WHERE id = ? AND state = 'uploading'
           RETURNING state`,
        ).get(messageId)?.state;
      });
    },
    async revoke(messageId, now) {
      return inTransaction(db, () => {
        const revoked = query(db, "UPDATE messages SET state = 'revoked', revoked_at = coalesce(revoked_at, ?), errand = '' WHERE id = ?").run(now, messageId).changes;
        forgetAccess(messageId);
        return revoked === 1;
      });
    },
    async revokeBySender(senderId, now) {
      return inTransaction(db, () => {
        const live = query<{ messageId: string; payloadCount: number }>(db, `${withCount} WHERE sender_id = ? AND state IN ('ready', 'uploading')`).all(senderId);
        for (const { messageId } of live) {
          query(db, "UPDATE messages SET state = 'revoked', revoked_at = coalesce(revoked_at, ?), errand = '' WHERE id = ?").run(now, messageId);
          forgetAccess(messageId);
        }
        return live;
      });
    },
    async markPurged(messageId, now) {
      query(db, 'UPDATE messages SET purged_at = ? WHERE id = ?').run(now, messageId);
    },
    async expireDue(now) {
      return inTransaction(db, () => {
        const ids = query<{ id: string }>(db, "UPDATE messages SET state = 'expired', errand = '' WHERE state IN ('ready', 'uploading') AND expires_at <= ? RETURNING id")
          .all(now)
          .map((row) => row.id);
        ids.forEach(forgetAccess);
        return ids;
      });
    },
    async listUnpurged() {
      return query<{ messageId: string; payloadCount: number }>(db, `${withCount} WHERE state IN ('expired', 'revoked') AND purged_at IS NULL`).all();
    },
    async listAbandoned(createdBefore) {
      return query<{ messageId: string; payloadCount: number }>(db, `${withCount} WHERE state = 'uploading' AND created_at <= ?`).all(createdBefore);
    },
    async deleteUploading(messageId) {
      return query(db, "DELETE FROM messages WHERE id = ? AND state = 'uploading'").run(messageId).changes === 1;
    },
    async forgetPurged(purgedBefore) {
      return query(db, "DELETE FROM messages WHERE state IN ('expired', 'revoked') AND purged_at <= ?").run(purgedBefore).changes;
    },
    async exists(messageId) {
      return query(db, 'SELECT 1 FROM messages WHERE id = ?').get(messageId) !== undefined;
    },
  };
}
