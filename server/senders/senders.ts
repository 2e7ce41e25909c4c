import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database.js';
import { inTransaction } from '../store/transactions.js';
import { hashCapability, newCapability } from '../http/secrets.js';

/**
 * Sender accounts (the name recipients see) and their API tokens. A token is shown once
 * when made and stored only as its SHA-256 hash.
 *
 * @example
 * const { sender, token } = createSender(db, 'Bostadsbolaget', Date.now());
 * senderForToken(db, token)?.name // 'Bostadsbolaget'
 */
export interface Sender {
  id: string;
  name: string;
  createdAt: number;
  revokedAt: number | null;
}

const tokenPrefix = 'sgl_';

export function createSender(db: Db, name: string, now: number): { sender: Sender; token: string } {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw new RangeError('a sender name has 1 to 100 characters');
  const sender: Sender = { id: randomUUID(), name: trimmed, createdAt: now, revokedAt: null };
  return inTransaction(db, () => {
    db.prepare('INSERT INTO senders (id, name, created_at) VALUES (?, ?, ?)').run(sender.id, sender.name, now);
    return { sender, token: createToken(db, sender.id, now) };
  });
}

/** A new API token for a sender; returns the token itself, which is never stored. */
export function createToken(db: Db, senderId: string, now: number): string {
  const token = tokenPrefix + newCapability(32);
  db.prepare('INSERT INTO api_tokens (token_hash, sender_id, created_at) VALUES (?, ?, ?)').run(hashCapability(token), senderId, now);
  return token;
}

/** The sender a token belongs to, if the token and the sender are both live. */
export function senderForToken(db: Db, token: string): Sender | undefined {
  if (!token.startsWith(tokenPrefix)) return undefined;
  const row = db
    .prepare(
      `SELECT s.id, s.name, s.created_at AS createdAt, s.revoked_at AS revokedAt
       FROM api_tokens t JOIN senders s ON s.id = t.sender_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND s.revoked_at IS NULL`,
    )
    .get(hashCapability(token)) as Sender | undefined;
  return row;
}

export function listSenders(db: Db): (Sender & { tokens: number })[] {
  return db
    .prepare(
      `SELECT s.id, s.name, s.created_at AS createdAt, s.revoked_at AS revokedAt,
         (SELECT count(*) FROM api_tokens t WHERE t.sender_id = s.id AND t.revoked_at IS NULL) AS tokens
       FROM senders s ORDER BY s.created_at`,
    )
    .all() as (Sender & { tokens: number })[];
}

export function countSenders(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM senders').get() as { n: number }).n;
}

/** Revokes a sender and all its tokens. Returns false when there is no such sender. */
export function revokeSender(db: Db, senderId: string, now: number): boolean {
  return inTransaction(db, () => {
    const changed = db.prepare('UPDATE senders SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, senderId).changes;
    db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE sender_id = ? AND revoked_at IS NULL').run(now, senderId);
    return changed === 1;
  });
}

/** Revokes one token, given the token itself. */
export function revokeToken(db: Db, token: string, now: number): boolean {
  return db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now, hashCapability(token)).changes === 1;
}
