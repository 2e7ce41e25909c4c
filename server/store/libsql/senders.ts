import type { SenderRecord, SenderStore } from '../types.js';
import { query, type Db } from './database.js';
import { inTransaction } from './transactions.js';

const senderColumns = 's.id, s.name, s.created_at AS createdAt, s.revoked_at AS revokedAt';

/** Senders and their API tokens (hashed) in the libsql file. */
export function libsqlSenders(db: Db): SenderStore {
  const insertToken = (senderId: string, tokenHash: string, now: number) =>
    query(db, 'INSERT INTO api_tokens (token_hash, sender_id, created_at) SELECT ?, id, ? FROM senders WHERE id = ? AND revoked_at IS NULL').run(tokenHash, now, senderId)
      .changes === 1;
  return {
    async create(sender, tokenHash) {
      await inTransaction(db, () => {
        query(db, 'INSERT INTO senders (id, name, created_at, revoked_at) VALUES (?, ?, ?, ?)').run(sender.id, sender.name, sender.createdAt, sender.revokedAt);
        insertToken(sender.id, tokenHash, sender.createdAt);
      });
    },
    async addToken(senderId, tokenHash, now) {
      return insertToken(senderId, tokenHash, now);
    },
    async byToken(tokenHash) {
      return query<SenderRecord>(
        db,
        `SELECT ${senderColumns} FROM api_tokens t JOIN senders s ON s.id = t.sender_id
         WHERE t.token_hash = ? AND t.revoked_at IS NULL AND s.revoked_at IS NULL`,
      ).get(tokenHash);
    },
    async byId(senderId) {
      return query<SenderRecord>(db, `SELECT ${senderColumns} FROM senders s WHERE s.id = ? AND s.revoked_at IS NULL`).get(senderId);
    },
    async list() {
      return query<SenderRecord & { tokens: number }>(
        db,
        `SELECT ${senderColumns}, (SELECT count(*) FROM api_tokens t WHERE t.sender_id = s.id AND t.revoked_at IS NULL) AS tokens
         FROM senders s ORDER BY s.created_at`,
      ).all();
    },
    async count() {
      return query<{ n: number }>(db, 'SELECT count(*) AS n FROM senders').get()!.n;
    },
    async revoke(senderId, now) {
      return inTransaction(db, () => {
        const changed = query(db, 'UPDATE senders SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, senderId).changes;
        query(db, 'UPDATE api_tokens SET revoked_at = ? WHERE sender_id = ? AND revoked_at IS NULL').run(now, senderId);
        return changed === 1;
      });
    },
    async revokeToken(tokenHash, now) {
      return query(db, 'UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now, tokenHash).changes === 1;
    },
    async setSealedReplyTo(senderId, sealed) {
      return query(db, 'UPDATE senders SET sealed_reply_to = ? WHERE id = ? AND revoked_at IS NULL').run(sealed, senderId).changes === 1;
    },
    async sealedReplyTo(senderId) {
      return query<{ sealed: string | null }>(db, 'SELECT sealed_reply_to AS sealed FROM senders WHERE id = ?').get(senderId)?.sealed ?? null;
    },
  };
}
