import type { ChunkStore } from '../types.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

/** Held chunks in the libsql file. */
export function libsqlChunks(db: Db): ChunkStore {
  const held = (messageId: string, index: number) =>
    query<{ chunk: number }>(db, 'SELECT chunk FROM payload_chunks WHERE message_id = ? AND payload_index = ? ORDER BY chunk').all(messageId, index).map((row) => row.chunk);
  return {
    async add(messageId, index, chunk) {
      // One conditional insert (only for an uploading message), committed before the count.
      const uploading = await inTransaction(db, () => {
        query(db, "INSERT OR IGNORE INTO payload_chunks (message_id, payload_index, chunk) SELECT id, ?, ? FROM messages WHERE id = ? AND state = 'uploading'").run(index, chunk, messageId);
        return query(db, "SELECT 1 FROM messages WHERE id = ? AND state = 'uploading'").get(messageId) !== undefined;
      });
      if (!uploading) return undefined;
      return query<{ count: number }>(db, 'SELECT count(*) AS count FROM payload_chunks WHERE message_id = ? AND payload_index = ?').get(messageId, index)!.count;
    },
    async claimJoin(messageId, index, now, until) {
      return inTransaction(
        db,
        () =>
          query(
            db,
            `INSERT INTO payload_joins (message_id, payload_index, claimed_until) SELECT id, ?, ? FROM messages WHERE id = ?
             ON CONFLICT (message_id, payload_index) DO UPDATE SET claimed_until = excluded.claimed_until WHERE payload_joins.claimed_until <= ?`,
          ).run(index, until, messageId, now).changes === 1,
      );
    },
    async releaseJoin(messageId, index) {
      await inTransaction(db, () => query(db, 'UPDATE payload_joins SET claimed_until = 0 WHERE message_id = ? AND payload_index = ?').run(messageId, index));
    },
    async progress(messageId, index) {
      const complete = query(db, 'SELECT 1 FROM stored_payloads WHERE message_id = ? AND payload_index = ?').get(messageId, index) !== undefined;
      return { chunks: held(messageId, index), complete };
    },
  };
}
