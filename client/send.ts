import { checkIdentityOrPattern } from '../shared/authorization.js';
import { checkErrand } from '../shared/content.js';
import { parseMobileNumber } from '../shared/phone-number.js';
import type { MessageStatus } from '../shared/api.js';
import { sealMessage, type AttachmentSource, type SealedMessage, type SealedPayload } from '../shared/seal-message.js';
import { clientError } from './errors.js';
import { labelOf, type EmailDelivery, type PlannedLink } from './link-plan.js';
import type { ReceiptKeyRing } from './receipt-keys.js';
import type { SenderApi } from './sender-api.js';
import type { SentLog, SentRecord } from './stores.js';
import type { Language } from './texts.js';
import { finishSend } from './deliver.js';
import { streamSource } from './byte-source.js';
import { uploadChunked, type ChunkedPayload, type ChunkedUpload, type ChunkedUploadOptions } from './upload.js';

/**
 * Sends a message, the one way every sending app does it: seal (shared/seal-message.ts,
 * with each link's label and the sender's copy sealed to the receipt key) → create →
 * upload every payload (with progress) → remember it in the sent log → relay the SMS
 * links (and the email links, with `email: 'server'`). Returns every link with what
 * happened to it; a failed SMS or email does not lose the message: its link comes back
 * to be handed over another way.
 *
 * @example
 * const sent = await sendMessage({ api, keys, sent: log }, {
 *   links: planRecipients('0701234567&login=198112189876', { email: 'webmail' }),
 *   errand: 'Ditt hyresavtal', text: 'Hej!', attachments: [], language: 'sv',
 * });
 * sent.links[0].delivery // 'sms_sent'
 */
export interface SendInput {
  links: PlannedLink[];
  errand: string;
  text: string;
  html?: string;
  attachments: AttachmentSource[];
  /** The language of what recipients get (the SMS text and the email body). */
  language: Language;
  expiresAt?: string;
  readLimit?: number;
  /** Keep the text in the sealed sender's copy, so the sender's other clients show it. */
  keepText?: boolean;
  /**
   * How email links reach their recipients: 'webmail' (default) hands each link back to be
   * written into an email; 'server' has the server email each one (one address per link,
   * as planLinks makes them). Without SMTP on the server (501 email_not_configured) the
   * link comes back as hand_over with that error, so the app says so.
   */
  email?: EmailDelivery;
}

export interface UploadProgress {
  /** Payload index (0 is the content document). */
  index: number;
  sent: number;
  total: number;
  /** All payloads together. */
  messageSent: number;
  messageTotal: number;
}

export interface UploadContext {
  /**
   * 'stream' where request bodies stream (Node); 'blob' in browsers (HTTP/1.1 cannot stream
   * uploads). A chunked upload sends each chunk as a Blob with 'blob' (ChunkedUploadOptions.bodies).
   */
  uploads?: 'stream' | 'blob';
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface SendContext extends UploadContext {
  api: SenderApi;
  /** Chunks in flight (default 3). */
  inFlight?: number;
  /**
   * Called once the message is created, before any chunk is sent: everything a resume
   * needs (the message id, S, each payload's plaintext source) and the sealed message
   * (its request, links and payload lengths). Hold the secret only where a link may live.
   */
  onCreated?: (upload: ChunkedUpload & { sealed: SealedMessage }) => void | Promise<void>;
  /** After each chunk the server holds (to keep a resume file's chunk map). */
  onChunk?: ChunkedUploadOptions['onChunk'];
  /**
   * Once every payload is held, before any link is relayed: the moment to drop a resume
   * file (a relay cut after it shows as interrupted, to resend, and is never sent twice).
   */
  onUploaded?: (messageId: string) => void | Promise<void>;
  keys: ReceiptKeyRing;
  sent: SentLog;
  /** Where links point; default: the public origin the server reports (GET /senders/me). */
  origin?: string;
}

export interface SentLink extends PlannedLink {
  linkId: string;
  /** The link, with its secret: hand it over, never store or log it. */
  link: string;
  /** The text that carries the link: the SMS text, or the email body. */
  text: string;
  /**
   * sms_sent / sms_failed, email_sent / email_failed (relayed by the server), or hand_over
   * (written into an email by the app, or printed; with `error` when the server was asked
   * to email it and could not, e.g. email_not_configured).
   */
  delivery: 'sms_sent' | 'sms_failed' | 'email_sent' | 'email_failed' | 'hand_over';
  error?: { code: string; message: string };
}

export interface SentMessage {
  messageId: string;
  createdAt: string;
  expiresAt: string;
  links: SentLink[];
  record: SentRecord;
}

function checkPlan(link: PlannedLink): PlannedLink {
  if (link.readers !== '*' && (!Array.isArray(link.readers) || link.readers.length === 0)) {
    throw clientError('readers_missing', 'say who may read: personal identity numbers, a leading part and *, or * for anyone');
  }
  const readers = link.readers === '*' ? '*' : [...new Set(link.readers.map((reader) => checkIdentityOrPattern(reader)))];
  if (link.to.length === 0) throw clientError('recipients_missing', 'a link needs a recipient');
  const to = link.channel === 'sms' ? link.to.map((number) => parseMobileNumber(number)) : link.to;
  if (link.channel === 'sms' && to.length !== 1) throw clientError('recipients_invalid', 'an SMS link goes to exactly one number');
  return { channel: link.channel, to, readers };
}

/** Ciphertext as one Blob (browsers), checking its length. */
async function sealedBlob(payload: SealedPayload): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const reader = payload.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(new Uint8Array(value));
  }
  const blob = new Blob(parts);
  if (blob.size !== payload.length) throw clientError('seal_length_mismatch', 'an attachment changed while it was sealed; try again');
  return blob;
}

/** Uploads every payload of `sealed` in order (the message was created before, perhaps through another server). */
export async function uploadPayloads(api: SenderApi, sealed: SealedMessage, context: UploadContext = {}): Promise<void> {
  const { messageId } = sealed.request;
  const messageTotal = sealed.payloads.reduce((sum, payload) => sum + payload.length, 0);
  let done = 0;
  for (const payload of sealed.payloads) {
    const onProgress = (sent: number, total: number) =>
      context.onProgress?.({ index: payload.index, sent, total, messageSent: done + sent, messageTotal });
    const body = context.uploads === 'stream' ? payload.stream() : await sealedBlob(payload);
    await api.uploadPayload(messageId, payload.index, body, { length: payload.length, onProgress, ...(context.signal ? { signal: context.signal } : {}) });
    done += payload.length;
  }
}

/** Creates a sealed message on the server and uploads every payload; the message is then ready. */
export async function createAndUpload(api: SenderApi, sealed: SealedMessage, context: UploadContext = {}): Promise<MessageStatus> {
  const created = await api.createMessage(sealed.request);
  await uploadPayloads(api, sealed, context);
  return created;
}

/** A sealed payload's plaintext as the chunked upload reads it: random access where the source has it, else in order from its stream. */
function chunkedPayload(payload: SealedPayload): ChunkedPayload {
  const { plaintext } = payload;
  const read = plaintext.read;
  return { index: payload.index, source: read ? { size: plaintext.size, read: (offset, length) => read(offset, length) } : streamSource(plaintext.size, () => plaintext.open()) };
}

export async function sendMessage(context: SendContext, input: SendInput): Promise<SentMessage> {
  const errand = checkErrand(input.errand);
  if (errand.trim() === '') throw clientError('errand_missing', 'write an errand: it tells the recipient what the message is about');
  if (typeof input.text !== 'string') throw clientError('text_invalid', 'the message text is missing');
  if (input.links.length === 0) throw clientError('recipients_missing', 'add a recipient');
  const plans = input.links.map(checkPlan);
  if (input.email === 'server' && plans.some((plan) => plan.channel === 'email' && plan.to.length !== 1)) {
    throw clientError('recipients_invalid', 'when the server sends the email, each email link goes to exactly one address');
  }
  const { api } = context;
  const origin = context.origin ?? (await api.me()).origin;
  const pair = await context.keys.current();
  const attachmentNames = input.attachments.map((attachment) => attachment.name);
  const sealed = await sealMessage({
    origin,
    errand,
    text: input.text,
    ...(input.html !== undefined ? { html: input.html } : {}),
    attachments: input.attachments,
    recipients: plans.map((plan) => ({ readers: plan.readers, label: labelOf(plan) })),
    receiptKey: pair.receiptKey,
    senderCopy: { errand, attachments: attachmentNames, ...(input.keepText ? { text: input.text } : {}) },
    ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    ...(input.readLimit !== undefined ? { readLimit: input.readLimit } : {}),
  });
  const { messageId } = sealed.request;
  const created = await api.createMessage(sealed.request);
  const upload: ChunkedUpload = { messageId, secret: sealed.secret, payloads: sealed.payloads.map(chunkedPayload) };
  await context.onCreated?.({ ...upload, sealed });
  await uploadChunked(api, upload, {
    ...(context.inFlight !== undefined ? { inFlight: context.inFlight } : {}),
    ...(context.uploads === 'blob' ? { bodies: 'blob' as const } : {}),
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
    ...(context.onChunk ? { onChunk: context.onChunk } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
  });

  await context.onUploaded?.(messageId);
  return finishSend(context, {
    messageId,
    createdAt: created.createdAt,
    expiresAt: created.expiresAt,
    plans,
    links: sealed.links,
    errand,
    attachments: attachmentNames,
    receiptKey: pair.receiptKey,
    language: input.language,
    ...(input.email ? { email: input.email } : {}),
  });
}

