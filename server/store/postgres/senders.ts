import type pg from 'pg';
import type { SenderRecord, SenderStore } from '../types.js';
import { changes, rows, transaction, type Executor } from './pool.js';

const senderColumns = 's.id, s.name, s.created_at AS "createdAt", s.revoked_at AS "revokedAt"';

/** Senders and their API tokens (hashed) in PostgreSQL. */
export function postgresSenders(pool: pg.Pool): SenderStore {
  const insertToken = async (on: Executor, senderId: string, tokenHash: string, now: number) =>
    (await changes(on, 'INSERT INTO api_tokens (token_hash, sender_id, created_at) SELECT $1, id, $2 FROM senders WHERE id = $3 AND revoked_at IS NULL', [tokenHash, now, senderId])) === 1;
  return {
    async create(sender, tokenHash) {
      await transaction(pool, async (client) => {
        await changes(client, 'INSERT INTO senders (id, name, created_at, revoked_at) VALUES ($1, $2, $3, $4)', [sender.id, sender.name, sender.createdAt, sender.revokedAt]);
        await insertToken(client, sender.id, tokenHash, sender.createdAt);
      });
    },
    async addToken(senderId, tokenHash, now) {
      return insertToken(pool, senderId, tokenHash, now);
    },
    async byToken(tokenHash) {
      const [row] = await rows<SenderRecord>(
        pool,
        `SELECT ${senderColumns} FROM api_tokens t JOIN senders s ON s.id = t.sender_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND s.revoked_at IS NULL`,
        [tokenHash],
      );
      return row;
    },
    async byId(senderId) {
      const [row] = await rows<SenderRecord>(pool, `SELECT ${senderColumns} FROM senders s WHERE s.id = $1 AND s.revoked_at IS NULL`, [senderId]);
      return row;
    },
    async list() {
      return rows<SenderRecord & { tokens: number }>(
        pool,
        `SELECT ${senderColumns}, (SELECT count(*) FROM api_tokens t WHERE t.sender_id = s.id AND t.revoked_at IS NULL) AS tokens
         FROM senders s ORDER BY s.created_at`,
      );
    },
    async count() {
      const [row] = await rows<{ n: number }>(pool, 'SELECT count(*) AS n FROM senders');
      return row!.n;
    },
    async revoke(senderId, now) {
      return transaction(pool, async (client) => {
        const changed = await changes(client, 'UPDATE senders SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, senderId]);
        await changes(client, 'UPDATE api_tokens SET revoked_at = $1 WHERE sender_id = $2 AND revoked_at IS NULL', [now, senderId]);
        return changed === 1;
      });
    },
    async revokeToken(tokenHash, now) {
      return (await changes(pool, 'UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL', [now, tokenHash])) === 1;
    },
    async setSealedReplyTo(senderId, sealed) {
      return (await changes(pool, 'UPDATE senders SET sealed_reply_to = $1 WHERE id = $2 AND revoked_at IS NULL', [sealed, senderId])) === 1;
    },
    async sealedReplyTo(senderId) {
      const [row] = await rows<{ sealed: string | null }>(pool, 'SELECT sealed_reply_to AS sealed FROM senders WHERE id = $1', [senderId]);
      return row?.sealed ?? null;
    },
  };
}
