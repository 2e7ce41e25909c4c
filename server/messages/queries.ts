import type { Db } from '../store/database.js';
import type { MessageStatus } from '../../shared/api.js';

/** Reading and writing messages, their payload records, links and status. */
export interface MessageRow {
  id: string;
  sender_id: string;
  errand: string;
  auth_verifier: string;
  receipt_key: string;
  state: 'uploading' | 'ready' | 'revoked' | 'expired';
  /** JSON array of ciphertext lengths, payload 0 first. */
  payload_lengths: string;
  payloads_stored: number;
  read_limit: number | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  purged_at: number | null;
  sender_copy: string | null;
}

export type { MessageStatus };

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

export function payloadLengths(message: Pick<MessageRow, 'payload_lengths'>): number[] {
  return JSON.parse(message.payload_lengths) as number[];
}

export function messageOf(db: Db, messageId: string): MessageRow | undefined {
  return db.prepare('SELECT * FROM messages WHERE id = ?').get(messageId) as MessageRow | undefined;
}

/** The message if it belongs to this sender; otherwise undefined (never tells others' ids apart). */
export function senderMessage(db: Db, senderId: string, messageId: string): MessageRow | undefined {
  const row = messageOf(db, messageId);
  return row && row.sender_id === senderId ? row : undefined;
}

export function messageStatus(db: Db, message: MessageRow): MessageStatus {
  const links = db.prepare('SELECT * FROM links WHERE message_id = ? ORDER BY rowid').all(message.id) as {
    id: string;
    readers: string;
    label: string | null;
    reads: number;
    opened_at: number | null;
    verification_started_at: number | null;
    read_at: number | null;
    denied_attempts: number;
    last_denied_at: number | null;
  }[];
  const deliveries = db
    .prepare(
      `SELECT d.link_id, d.channel, d.recipient_hint, d.status, d.updated_at FROM deliveries d
       JOIN links l ON l.id = d.link_id WHERE l.message_id = ? ORDER BY d.id`,
    )
    .all(message.id) as { link_id: string; channel: 'sms'; recipient_hint: string; status: 'sent' | 'failed'; updated_at: number }[];
  const receipts = db
    .prepare('SELECT link_id, sealed, created_at FROM receipts WHERE message_id = ? ORDER BY id')
    .all(message.id) as { link_id: string; sealed: string; created_at: number }[];
  return {
    messageId: message.id,
    state: message.state,
    errand: message.errand,
    createdAt: iso(message.created_at)!,
    expiresAt: iso(message.expires_at)!,
    revokedAt: iso(message.revoked_at),
    readLimit: message.read_limit,
    payloads: payloadLengths(message).map((length, index) => ({ index, length })),
    payloadsStored: message.payloads_stored,
    receiptKey: message.receipt_key,
    senderCopy: message.sender_copy ?? null,
    links: links.map((link) => {
      const tags = JSON.parse(link.readers) as '*' | string[];
      return {
        linkId: link.id,
        anyone: tags === '*',
        tagCount: tags === '*' ? 0 : tags.length,
        label: link.label ?? null,
        deliveries: deliveries
          .filter((d) => d.link_id === link.id)
          .map((d) => ({ channel: d.channel, recipient: d.recipient_hint, status: d.status, at: iso(d.updated_at)! })),
        openedAt: iso(link.opened_at),
        verificationStartedAt: iso(link.verification_started_at),
        readAt: iso(link.read_at),
        reads: link.reads,
        deniedAttempts: link.denied_attempts,
        lastDeniedAt: iso(link.last_denied_at),
      };
    }),
    receipts: receipts.map((r) => ({ linkId: r.link_id, receipt: r.sealed, at: iso(r.created_at)! })),
  };
}
