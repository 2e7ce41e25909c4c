import { checkIdentityOrPattern } from './authorization.js';
import { FormatError } from './errors.js';
import { openWithPrivateKey, parseSealedJson, sealToReceiptKey } from './hpke.js';
import { linkIdBytes, parseLink } from './link.js';
import { messageIdBytes } from './keys.js';

/**
 * What the sender keeps on the server, sealed to its own receipt key (PROTOCOL.md §7.1),
 * so every client of the sender shows who each link went to and what was sent:
 * - a recipient label per link: info `sigill/v1/label`, aad = messageId ‖ linkId; it may
 *   carry the link itself, so that any client of the sender can resend a failed delivery
 *   (whoever holds the receipt private key can then open the message: the sender);
 * - the sender's copy per message: info `sigill/v1/sender-copy`, aad = messageId.
 * Same HPKE suite as receipts; the server stores them and never opens them.
 *
 * @example
 * const sealed = await sealLabel(receiptKey, messageId, linkId, { channel: 'sms', to: '0701234567', readers: ['se-pnr:198112189876'] });
 * const label = await openLabel(privateKey, messageId, linkId, sealed);
 */
export interface RecipientLabel {
  channel: 'sms' | 'email' | 'link';
  /** The address as the sender wrote it (for 'link', whatever the sender called it). */
  to: string;
  /** Identities and patterns (`se-pnr:…`, `se-pnr:1980*`) or `*`, before they became tags. */
  readers: string[];
  /**
   * The link with its secret, so the sender can resend it; sealMessage adds it. Never kept
   * anywhere else: apps open it only to resend (client/resend.ts).
   */
  link?: string;
}

export interface SenderCopy {
  errand: string;
  /** Attachment names, in payload order. */
  attachments: string[];
  /** The message text, only when the sender asked to keep a copy. */
  text?: string;
}

const labelInfo = 'sigill/v1/label';
const senderCopyInfo = 'sigill/v1/sender-copy';
const encoder = new TextEncoder();

function checkIds(messageId: Uint8Array, linkId?: Uint8Array): void {
  if (messageId.length !== messageIdBytes) throw new FormatError('length_invalid', 'messageId must be 16 bytes');
  if (linkId && linkId.length !== linkIdBytes) throw new FormatError('length_invalid', 'linkId must be 16 bytes');
}

function labelAad(messageId: Uint8Array, linkId: Uint8Array): Uint8Array {
  checkIds(messageId, linkId);
  const aad = new Uint8Array(messageId.length + linkId.length);
  aad.set(messageId, 0);
  aad.set(linkId, messageId.length);
  return aad;
}

export function checkLabel(value: unknown): RecipientLabel {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { channel, to, readers, link } = record;
  if (channel !== 'sms' && channel !== 'email' && channel !== 'link') throw new FormatError('label_invalid', 'a label’s channel is sms, email or link');
  if (typeof to !== 'string' || !Array.isArray(readers) || readers.length === 0) throw new FormatError('label_invalid', 'a label has to and readers');
  for (const reader of readers) {
    if (typeof reader !== 'string' || (reader !== '*' && !safeReader(reader))) throw new FormatError('label_invalid', 'a label’s readers are identities, patterns or *');
  }
  if (link !== undefined && !isLink(link)) throw new FormatError('label_invalid', 'a label’s link is a Sigill link');
  return { channel, to, readers: readers as string[], ...(link !== undefined ? { link: link as string } : {}) };
}

function isLink(value: unknown): boolean {
  try {
    return typeof value === 'string' && parseLink(value) !== undefined;
  } catch {
    return false;
  }
}

function safeReader(reader: string): boolean {
  try {
    checkIdentityOrPattern(reader);
    return true;
  } catch {
    return false;
  }
}

export function checkSenderCopy(value: unknown): SenderCopy {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { errand, attachments, text } = record;
  if (typeof errand !== 'string' || !Array.isArray(attachments) || !attachments.every((name) => typeof name === 'string')) {
    throw new FormatError('sender_copy_invalid', 'a sender’s copy has errand and attachment names');
  }
  if (text !== undefined && typeof text !== 'string') throw new FormatError('sender_copy_invalid', 'a sender’s copy text is a string');
  return { errand, attachments: attachments as string[], ...(text !== undefined ? { text } : {}) };
}

/** A label's link must be the link it labels (its linkId is the aad's). */
function checkLinkOf(label: RecipientLabel, linkId: Uint8Array): RecipientLabel {
  if (label.link !== undefined && !sameBytes(parseLink(label.link).linkId, linkId)) throw new FormatError('label_invalid', 'a label’s link is not the link it labels');
  return label;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export async function sealLabel(receiptKey: Uint8Array, messageId: Uint8Array, linkId: Uint8Array, label: RecipientLabel): Promise<Uint8Array> {
  checkLinkOf(checkLabel(label), linkId);
  return sealToReceiptKey(receiptKey, labelInfo, labelAad(messageId, linkId), encoder.encode(JSON.stringify(checkLabel(label))));
}

export async function openLabel(privateKey: Uint8Array, messageId: Uint8Array, linkId: Uint8Array, sealed: Uint8Array): Promise<RecipientLabel> {
  const opened = await openWithPrivateKey(privateKey, labelInfo, labelAad(messageId, linkId), sealed, 'label_invalid');
  return checkLinkOf(checkLabel(parseSealedJson(opened, 'label_invalid')), linkId);
}

export async function sealSenderCopy(receiptKey: Uint8Array, messageId: Uint8Array, copy: SenderCopy): Promise<Uint8Array> {
  checkIds(messageId);
  return sealToReceiptKey(receiptKey, senderCopyInfo, messageId, encoder.encode(JSON.stringify(checkSenderCopy(copy))));
}

export async function openSenderCopy(privateKey: Uint8Array, messageId: Uint8Array, sealed: Uint8Array): Promise<SenderCopy> {
  checkIds(messageId);
  return checkSenderCopy(parseSealedJson(await openWithPrivateKey(privateKey, senderCopyInfo, messageId, sealed, 'sender_copy_invalid'), 'sender_copy_invalid'));
}
