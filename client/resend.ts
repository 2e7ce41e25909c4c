import { decodeBase64url } from '../shared/base64url.js';
import { openLabel, openSenderCopy } from '../shared/labels.js';
import { clientError } from './errors.js';
import type { ReceiptKeyRing } from './receipt-keys.js';
import { relayLink } from './deliver.js';
import type { SentLink } from './send.js';
import type { SenderApi } from './sender-api.js';
import type { Language } from './texts.js';

/**
 * Resends one link's failed or interrupted delivery, from any client of the sender: the
 * link is in the recipient label sealed to the receipt key (PROTOCOL.md §7.1), opened here
 * with the key ring, never stored; the errand is in the sealed sender's copy. The text is
 * made again (smsText or emailBody) and relayed through `POST …/deliveries` (or `…/sms`).
 * A delivery that was sent, delivered or is still being handed over is not resent: the
 * recipient would get it twice.
 *
 * @example
 * const resent = await resendDelivery({ api, keys }, messageId, linkId, { language: 'sv' });
 * resent.delivery // 'sms_sent'
 */
export interface ResendContext {
  api: SenderApi;
  keys: ReceiptKeyRing;
}

export async function resendDelivery(context: ResendContext, messageId: string, linkId: string, options: { language: Language }): Promise<SentLink> {
  const status = await context.api.message(messageId);
  const link = status.links.find((candidate) => candidate.linkId === linkId);
  if (!link) throw clientError('link_not_found', 'the message has no such recipient');
  const latest = link.deliveries.at(-1);
  if (latest && latest.status !== 'failed') {
    throw clientError('delivery_not_failed', `the latest delivery to this recipient is ${latest.status}; it is resent only when it failed or was interrupted`);
  }
  const privateKey = await context.keys.privateKeyFor(status.receiptKey);
  if (!privateKey || !link.label || !status.senderCopy) {
    throw clientError('receipt_key_missing', 'this device lacks the receipt keys the message was sent with (sigill keys import, or the extension’s key backup)');
  }
  const id = decodeBase64url(status.messageId, 16, 'messageId');
  const label = await openLabel(privateKey, id, decodeBase64url(linkId, 16, 'linkId'), decodeBase64url(link.label));
  if (label.link === undefined || label.channel === 'link') {
    throw clientError('link_not_kept', 'this message was sent before labels carried their link: send the message again');
  }
  const { errand } = await openSenderCopy(privateKey, id, decodeBase64url(status.senderCopy));
  const planned: SentLink = { channel: label.channel, to: [label.to], readers: label.readers.includes('*') ? '*' : label.readers, linkId, link: label.link, text: '', delivery: 'hand_over' };
  return relayLink(context.api, messageId, planned, errand, options.language);
}
