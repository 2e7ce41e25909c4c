import type { LinkRecord, MessageRecord, MessageState, NewMessage, Readers, VerificationRecord } from './types.js';

/**
 * Rows as the SQL back ends return them (both name columns alike and keep payload
 * lengths and readers as JSON text), and their records: the one place columns become fields.
 */
export interface MessageRow {
  id: string;
  sender_id: string;
  errand: string;
  auth_verifier: string;
  receipt_key: string;
  state: MessageState;
  payload_lengths: string;
  payloads_stored: number;
  read_limit: number | null;
  sender_copy: string | null;
  user_id: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  purged_at: number | null;
}

export const messageColumns =
  'id, sender_id, errand, auth_verifier, receipt_key, state, payload_lengths, payloads_stored, read_limit, sender_copy, user_id, created_at, expires_at, revoked_at, purged_at';

/** A new message's row, as both back ends insert it (`?` placeholders; PostgreSQL numbers them), bound with `newMessageValues`. */
export const insertMessageSql = `INSERT INTO messages (id, sender_id, errand, auth_verifier, receipt_key, state, payload_lengths, read_limit, sender_copy, user_id, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function newMessageValues(message: NewMessage): (string | number | null)[] {
  return [
    message.id,
    message.senderId,
    message.errand,
    message.authVerifier,
    message.receiptKey,
    'uploading',
    JSON.stringify(message.payloadLengths),
    message.readLimit,
    message.senderCopy,
    message.userId ?? null,
    message.createdAt,
    message.expiresAt,
  ];
}

export function messageOf(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    senderId: row.sender_id,
    errand: row.errand,
    authVerifier: row.auth_verifier,
    receiptKey: row.receipt_key,
    state: row.state,
    payloadLengths: JSON.parse(row.payload_lengths) as number[],
    payloadsStored: row.payloads_stored,
    readLimit: row.read_limit,
    senderCopy: row.sender_copy,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    purgedAt: row.purged_at,
  };
}

export interface LinkRow {
  id: string;
  message_id: string;
  readers: string;
  label: string | null;
  reads: number;
  opened_at: number | null;
  verification_started_at: number | null;
  read_at: number | null;
  denied_attempts: number;
  last_denied_at: number | null;
}

export const linkColumns = 'id, message_id, readers, label, reads, opened_at, verification_started_at, read_at, denied_attempts, last_denied_at';

export function linkOf(row: LinkRow): LinkRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    readers: JSON.parse(row.readers) as Readers,
    label: row.label,
    reads: row.reads,
    openedAt: row.opened_at,
    verificationStartedAt: row.verification_started_at,
    readAt: row.read_at,
    deniedAttempts: row.denied_attempts,
    lastDeniedAt: row.last_denied_at,
  };
}

export interface VerificationRow {
  id_hash: string;
  link_id: string;
  browser_hash: string;
  sealed: string;
  status: VerificationRecord['status'];
  hint_code: string | null;
  started_at: number;
  last_collect_at: number;
  expires_at: number;
}

export const verificationColumns = 'id_hash, link_id, browser_hash, sealed, status, hint_code, started_at, last_collect_at, expires_at';

export const verificationOf = (row: VerificationRow): VerificationRecord => ({
  idHash: row.id_hash,
  linkId: row.link_id,
  browserHash: row.browser_hash,
  sealed: row.sealed,
  status: row.status,
  hintCode: row.hint_code,
  startedAt: row.started_at,
  lastCollectAt: row.last_collect_at,
  expiresAt: row.expires_at,
});
