import type pg from 'pg';
import { linkColumns, linkOf, type LinkRow } from '../rows.js';
import type { LinkStore, LiveLinkRecord } from '../types.js';
import { changes, rows } from './pool.js';

/** Links in PostgreSQL. */
export function postgresLinks(pool: pg.Pool): LinkStore {
  return {
    async live(linkId) {
      const [row] = await rows<Omit<LiveLinkRecord, 'payloadLengths'> & { payloadLengths: string }>(
        pool,
        `SELECT l.id, l.reads, l.opened_at AS "openedAt", m.id AS "messageId", m.state, m.errand, m.expires_at AS "expiresAt",
                m.read_limit AS "readLimit", m.sender_id AS "senderId", s.name AS "senderName", m.receipt_key AS "receiptKey",
                m.auth_verifier AS "authVerifier", m.payload_lengths AS "payloadLengths"
         FROM links l JOIN messages m ON m.id = l.message_id JOIN senders s ON s.id = m.sender_id
         WHERE l.id = $1`,
        [linkId],
      );
      return row && { ...row, payloadLengths: JSON.parse(row.payloadLengths) as number[] };
    },
    async get(linkId) {
      const [row] = await rows<LinkRow>(pool, `SELECT ${linkColumns} FROM links WHERE id = $1`, [linkId]);
      return row && linkOf(row);
    },
    async markOpened(linkId, now) {
      return (await changes(pool, 'UPDATE links SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL', [now, linkId])) === 1;
    },
  };
}
