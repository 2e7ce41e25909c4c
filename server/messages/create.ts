import type { Quotas } from './quotas.js';
import { sealedLength } from '../../shared/stream.js';
import { AppError, badRequest } from '../errors.js';
import { bytesOf, checkId } from '../http/ids.js';
import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import { messageStatus, type MessageStatus } from './status.js';
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
export async function createMessage(store: Store, config: Config, quotas: Quotas, senderId: string, body: CreateMessageRequest, now: number, userId: string | null = null): Promise<MessageStatus> {
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

  // PROTOCOL.md §7.1 (optional in the request; null when absent).
  const links = body.recipients.map((r) => ({ id: r.linkId, readers: r.tags, label: labelOf(r) }));
  const message = {
    id: body.messageId,
    senderId,
    errand: body.errand,
    authVerifier: body.authVerifier,
    receiptKey: body.receiptKey,
    payloadLengths: lengths,
    readLimit: body.readLimit ?? null,
    senderCopy: senderCopyOf(body),
    userId,
    createdAt: now,
    expiresAt,
  };
  await quotas.take('messages', senderId, now);
  await store.messages.create({ ...message, links });
  return messageStatus({
    message: { ...message, state: 'uploading', payloadsStored: 0, revokedAt: null, purgedAt: null },
    links: links.map((link) => ({
      ...link,
      messageId: body.messageId,
      reads: 0,
      openedAt: null,
      verificationStartedAt: null,
      readAt: null,
      deniedAttempts: 0,
      lastDeniedAt: null,
    })),
    deliveries: [],
    receipts: [],
  });
}

const labelOf = (recipient: { linkId: string; label?: string | null | undefined }) => recipient.label ?? null;
const senderCopyOf = (body: { messageId: string; senderCopy?: string | null | undefined }) => body.senderCopy ?? null;
