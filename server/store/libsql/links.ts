import type { LinkStore, LiveLinkRecord, MessageState } from '../types.js';
import { prepareRaw, query, type Db } from './database.js';
import { linkColumns, linkOf, type LinkRow } from '../rows.js';

const liveQuery = `
  SELECT l.id, l.reads, l.opened_at, m.id, m.state, m.errand, m.expires_at, m.read_limit,
         m.sender_id, s.name, m.receipt_key, m.auth_verifier, m.payload_lengths
  FROM links l JOIN messages m ON m.id = l.message_id JOIN senders s ON s.id = m.sender_id
  WHERE l.id = ?`;

type LiveRow = [string, number, number | null, string, MessageState, string, number, number | null, string, string, string, string, string];

/** Links in the libsql file. */
export function libsqlLinks(db: Db): LinkStore {
  return {
    async live(linkId) {
      // Raw mode (rows as arrays): libsql builds a named row column by column in native
      // code, which for a dozen columns costs as much as the query. Every link fetch runs this.
      const row = prepareRaw(db, liveQuery).get(linkId) as LiveRow | undefined;
      if (row === undefined) return undefined;
      const [id, reads, openedAt, messageId, state, errand, expiresAt, readLimit, senderId, senderName, receiptKey, authVerifier, payloadLengths] = row;
      const link: LiveLinkRecord = {
        id,
        reads,
        openedAt,
        messageId,
        state,
        errand,
        expiresAt,
        readLimit,
        senderId,
        senderName,
        receiptKey,
        authVerifier,
        payloadLengths: JSON.parse(payloadLengths) as number[],
      };
      return link;
    },
    async get(linkId) {
      const row = query<LinkRow>(db, `SELECT ${linkColumns} FROM links WHERE id = ?`).get(linkId);
      return row && linkOf(row);
    },
    async markOpened(linkId, now) {
      return query(db, 'UPDATE links SET opened_at = ? WHERE id = ? AND opened_at IS NULL').run(now, linkId).changes === 1;
    },
  };
}
