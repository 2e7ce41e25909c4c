import { gone, notFound } from '../errors.js';
import { checkId } from '../http/ids.js';
import type { LiveLinkRecord, MessageState, Store } from '../store/types.js';

/**
 * The link and its message if recipients may use it now; otherwise the protocol's
 * 404 `link_not_found` or 410 `link_expired` / `link_revoked` / `link_exhausted`.
 * A message still being uploaded is not there yet.
 */
export async function liveLink(store: Store, linkId: string, now: number, { allowExhausted = false } = {}): Promise<LiveLinkRecord> {
  checkId(linkId, 16, 'link_id_invalid', 'linkId');
  const link = await store.links.live(linkId);
  checkLinkState(link, now);
  if (!allowExhausted && link.readLimit !== null && link.reads >= link.readLimit) {
    throw gone('link_exhausted', 'this message has been opened as many times as the sender allowed');
  }
  return link;
}

/** The same refusals for a link read some other way (the payload fetch's one query); the read limit is the caller's. */
export function checkLinkState<T extends { state: MessageState; expiresAt: number }>(link: T | undefined, now: number): asserts link is T {
  if (!link || link.state === 'uploading') throw notFound('link_not_found', 'there is no message at this link');
  if (link.state === 'revoked') throw gone('link_revoked', 'the sender has withdrawn this message');
  if (link.state === 'expired' || now >= link.expiresAt) throw gone('link_expired', 'this message has expired');
}
