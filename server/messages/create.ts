import { sealedLength } from '../../shared/stream.js';
import { AppError, badRequest } from '../errors.js';
import { bytesOf, checkId } from '../http/ids.js';
import type { Config } from '../config.js';
import type { Db } from '../store/database.js';
import { batchedWrite } from '../store/transactions.js';
import { iso, type MessageStatus } from './queries.js';
import type { CreateMessageRequest } from '../../shared/api.js';

/** Whether `length` is the ciphertext length of some plaintext under PROTOCOL.md §4. */
export function isSealedLength(length: number): boolean {
  const segments = Math.ceil(length / 65_552);
  const plaintext = length - 16 * Math.max(1, segments);
  return plaintext >= 0 && sealedLength(plaintext) === length;
}

/**
 * Checks a create-message request beyond its schema and stores it, payloads not yet
 * uploaded. Returns the new message's status (made from the request: nothing has
 * happened to it yet).
 */
export async function createMessage(db: Db, config: Config, senderId: string, body: CreateMessageRequest, now: number): Promise<MessageStatus> {
  checkId(body.messageId, 16, 'message_id_invalid', 'messageId');
  const errand = bytesOf(body.errand, undefined, 'errand_invalid', 'errand');
  if (!isSealedLength(errand.length) || errand.length > 2016 + 16) {
    throw badRequest('errand_invalid', 'errand is not a sealed errand of at most 500 characters');
  }
  bytesOf(body.authVerifier, 32, 'auth_verifier_invalid', 'authVerifier');
  bytesOf(body.receiptKey, 32, 'receipt_key_invalid', 'receiptKey');

  const indexes = body.payloads.map((p) => p.index).sort((a, b) => a - b);
  if (indexes.some((index, position) => index !== position)) {
    throw badRequest('payloads_invalid', 'payload indexes must be 0, 1, 2, … once each');
  }
  const lengths = [...body.payloads].sort((a, b) => a.index - b.index).map((p) => p.length);
  for (const payload of body.payloads) {
    if (!isSealedLength(payload.length)) {
      throw badRequest('payload_length_invalid', `payload ${payload.index} length is not a sealed length`);
    }
  }
  const total = body.payloads.reduce((sum, p) => sum + p.length, 0);
  if (total > config.maxMessageBytes) {
    throw new AppError(413, 'message_too_large', `the payloads are ${total} bytes; at most ${config.maxMessageBytes}`);
  }

  const linkIds = new Set<string>();
  for (const recipient of body.recipients) {
    checkId(recipient.linkId, 16, 'link_id_invalid', 'linkId');
    if (linkIds.has(recipient.linkId)) throw badRequest('link_id_duplicate', 'each recipient needs its own linkId');
    linkIds.add(recipient.linkId);
    if (recipient.tags !== '*') {
      recipient.tags.forEach((tag) => bytesOf(tag, 32, 'tags_invalid', 'an authorization tag'));
    }
  }

  const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : now + config.defaultLifetimeMs;
  if (expiresAt < now + config.minLifetimeMs || expiresAt > now + config.maxLifetimeMs) {
    throw badRequest('expiry_out_of_range', 'expiresAt is too soon or too far away for this server');
  }

  try {
    await batchedWrite(db, () => {
      db.prepare(
        `INSERT INTO messages (id, sender_id, errand, auth_verifier, receipt_key, state, payload_lengths, read_limit, created_at, expires_at, sender_copy)
         VALUES (?, ?, ?, ?, ?, 'uploading', ?, ?, ?, ?, ?)`,
      ).run(body.messageId, senderId, body.errand, body.authVerifier, body.receiptKey, JSON.stringify(lengths), body.readLimit ?? null, now, expiresAt, body.senderCopy ?? null);
      const link = db.prepare('INSERT INTO links (id, message_id, readers, label) VALUES (?, ?, ?, ?)');
      for (const r of body.recipients) link.run(r.linkId, body.messageId, JSON.stringify(r.tags), r.label ?? null);
    });
  } catch (error) {
    // The ids are primary keys: a duplicate is refused by the database, and only then told apart.
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
    if (db.prepare('SELECT 1 FROM messages WHERE id = ?').get(body.messageId)) {
      throw new AppError(409, 'message_exists', 'a message with this messageId exists');
    }
    throw new AppError(409, 'link_exists', 'a linkId is already in use');
  }
  return {
    messageId: body.messageId,
    state: 'uploading',
    errand: body.errand,
    createdAt: iso(now)!,
    expiresAt: iso(expiresAt)!,
    revokedAt: null,
    readLimit: body.readLimit ?? null,
    payloads: lengths.map((length, index) => ({ index, length })),
    payloadsStored: 0,
    receiptKey: body.receiptKey,
    senderCopy: body.senderCopy ?? null,
    links: body.recipients.map(({ linkId, tags, label }) => ({
      linkId,
      anyone: tags === '*',
      tagCount: tags === '*' ? 0 : tags.length,
      label: label ?? null,
      deliveries: [],
      openedAt: null,
      verificationStartedAt: null,
      readAt: null,
      reads: 0,
      deniedAttempts: 0,
      lastDeniedAt: null,
    })),
    receipts: [],
  };
}
