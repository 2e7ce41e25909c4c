import type pg from 'pg';
import type { ChunkStore } from '../types.js';
import { rows } from './pool.js';

/** Held chunks in PostgreSQL. */
export function postgresChunks(pool: pg.Pool): ChunkStore {
  return {
    async add(messageId, index, chunk) {
      // One conditional insert (only for an uploading message), committed on its own before the count reads.
      const [message] = await rows<{ id: string }>(
        pool,
        `WITH uploading AS (SELECT id FROM messages WHERE id = $1 AND state = 'uploading'),
              added AS (INSERT INTO payload_chunks (message_id, payload_index, chunk) SELECT id, $2, $3 FROM uploading ON CONFLICT DO NOTHING)
         SELECT id FROM uploading`,
        [messageId, index, chunk],
      );
      if (!message) return undefined;
      const [counted] = await rows<{ count: string }>(pool, 'SELECT count(*) AS count FROM payload_chunks WHERE message_id = $1 AND payload_index = $2', [messageId, index]);
      return Number(counted!.count);
    },
    async claimJoin(messageId, index, now, until) {
      const claimed = await rows(
        pool,
        `INSERT INTO payload_joins (message_id, payload_index, claimed_until) SELECT id, $2, $3 FROM messages WHERE id = $1
         ON CONFLICT (message_id, payload_index) DO UPDATE SET claimed_until = excluded.claimed_until WHERE payload_joins.claimed_until <= $4
         RETURNING 1`,
        [messageId, index, until, now],
      );
      return claimed.length === 1;
    },
    async releaseJoin(messageId, index) {
      await rows(pool, 'UPDATE payload_joins SET claimed_until = 0 WHERE message_id = $1 AND payload_index = $2', [messageId, index]);
    },
    async progress(messageId, index) {
      const [held, stored] = await Promise.all([
        rows<{ chunk: number }>(pool, 'SELECT chunk FROM payload_chunks WHERE message_id = $1 AND payload_index = $2 ORDER BY chunk', [messageId, index]),
        rows(pool, 'SELECT 1 FROM stored_payloads WHERE message_id = $1 AND payload_index = $2', [messageId, index]),
      ]);
      return { chunks: held.map((row) => row.chunk), complete: stored.length > 0 };
    },
  };
}
