import { gone, notFound } from '../errors.js';
import { checkId } from '../http/ids.js';
import { prepareRaw, type Db } from '../store/database.js';

/** A link with what recipients' requests need of its message, read in one query. */
export interface LiveLink {
  id: string;
  readers: string;
  reads: number;
  opened_at: number | null;
  message_id: string;
  state: 'uploading' | 'ready' | 'revoked' | 'expired';
  errand: string;
  expires_at: number;
  read_limit: number | null;
  sender_id: string;
  sender_name: string;
  receipt_key: string;
  auth_verifier: string;
  /** JSON array of ciphertext lengths, payload 0 first. */
  payload_lengths: string;
}

const linkQuery = `
  SELECT l.id, l.readers, l.reads, l.opened_at, m.id AS message_id, m.state, m.errand, m.expires_at, m.read_limit,
         m.sender_id, s.name AS sender_name, m.receipt_key, m.auth_verifier, m.payload_lengths
  FROM links l JOIN messages m ON m.id = l.message_id JOIN senders s ON s.id = m.sender_id
  WHERE l.id = ?`;

type LinkRow = [string, string, number, number | null, string, LiveLink['state'], string, number, number | null, string, string, string, string, string];

/** The row read as an array (prepareRaw): every link fetch runs this query. */
function readLink(db: Db, linkId: string): LiveLink | undefined {
  const row = prepareRaw(db, linkQuery).get(linkId) as LinkRow | undefined;
  if (row === undefined) return undefined;
  const [id, readers, reads, opened_at, message_id, state, errand, expires_at, read_limit, sender_id, sender_name, receipt_key, auth_verifier, payload_lengths] = row;
  return { id, readers, reads, opened_at, message_id, state, errand, expires_at, read_limit, sender_id, sender_name, receipt_key, auth_verifier, payload_lengths };
}

/**
 * The link and its message if recipients may use it now; otherwise the protocol's
 * 404 `link_not_found` or 410 `link_expired` / `link_revoked` / `link_exhausted`.
 * A message still being uploaded is not there yet.
 */
export function liveLink(db: Db, linkId: string, now: number, { allowExhausted = false } = {}): LiveLink {
  checkId(linkId, 16, 'link_id_invalid', 'linkId');
  const link = readLink(db, linkId);
  if (!link || link.state === 'uploading') throw notFound('link_not_found', 'there is no message at this link');
  if (link.state === 'revoked') throw gone('link_revoked', 'the sender has withdrawn this message');
  if (link.state === 'expired' || now >= link.expires_at) throw gone('link_expired', 'this message has expired');
  if (!allowExhausted && link.read_limit !== null && link.reads >= link.read_limit) {
    throw gone('link_exhausted', 'this message has been opened as many times as the sender allowed');
  }
  return link;
}
