import { gone, notFound } from '../errors.js';
import { checkId } from '../http/ids.js';
import type { MessageRow } from '../messages/queries.js';
import type { Db } from '../store/database.js';

export interface LinkRow {
  id: string;
  message_id: string;
  readers: string;
  reads: number;
  opened_at: number | null;
}

/**
 * The link and its message if recipients may use it now; otherwise the protocol's
 * 404 `link_not_found` or 410 `link_expired` / `link_revoked` / `link_exhausted`.
 * A message still being uploaded is not there yet.
 */
export function liveLink(db: Db, linkId: string, now: number, { allowExhausted = false } = {}): { link: LinkRow; message: MessageRow } {
  checkId(linkId, 16, 'link_id_invalid', 'linkId');
  const link = db.prepare('SELECT * FROM links WHERE id = ?').get(linkId) as LinkRow | undefined;
  const message = link && (db.prepare('SELECT * FROM messages WHERE id = ?').get(link.message_id) as MessageRow | undefined);
  if (!link || !message || message.state === 'uploading') throw notFound('link_not_found', 'there is no message at this link');
  if (message.state === 'revoked') throw gone('link_revoked', 'the sender has withdrawn this message');
  if (message.state === 'expired' || now >= message.expires_at) throw gone('link_expired', 'this message has expired');
  if (!allowExhausted && message.read_limit !== null && link.reads >= message.read_limit) {
    throw gone('link_exhausted', 'this message has been opened as many times as the sender allowed');
  }
  return { link, message };
}
