import { isEmailAddress } from '../delivery/email-config.js';
import type { SenderStore } from '../store/types.js';
import { openText, sealText } from '../webhooks/secrets.js';

/**
 * A sender's own address, which the emails the server sends for it carry as Reply-To
 * (so a recipient's answer reaches the sender, not the no-reply From). It is set with
 * `npm run admin -- set-reply-to --sender <id> --address <address>` (or `--clear`) and
 * stored only sealed under the server key (SIGILL_WEBHOOK_KEY or the data folder's
 * webhook.key), bound to the sender id: no address is in the database in the clear.
 *
 * @example
 * await setReplyTo(store.senders, key, sender.id, 'kundtjanst@bostadsbolaget.se'); // true
 * await replyToOf(store.senders, key, sender.id); // 'kundtjanst@bostadsbolaget.se'
 */
const context = (senderId: string) => `reply-to:${senderId}`;

export class ReplyToError extends Error {
  readonly code = 'reply_to_invalid';
  constructor() {
    super('the Reply-To address must be a plain address such as kundtjanst@example.se');
    this.name = 'ReplyToError';
  }
}

/** Sets (or with null clears) the sender's Reply-To; false when there is no live sender with this id. */
export async function setReplyTo(senders: SenderStore, key: Buffer, senderId: string, address: string | null): Promise<boolean> {
  const trimmed = address?.trim() ?? null;
  if (trimmed !== null && !isEmailAddress(trimmed)) throw new ReplyToError();
  return senders.setSealedReplyTo(senderId, trimmed === null ? null : sealText(key, context(senderId), trimmed));
}

/** The sender's Reply-To address, or undefined when it has none. */
export async function replyToOf(senders: SenderStore, key: Buffer, senderId: string): Promise<string | undefined> {
  const sealed = await senders.sealedReplyTo(senderId);
  return sealed === null ? undefined : openText(key, context(senderId), sealed);
}
