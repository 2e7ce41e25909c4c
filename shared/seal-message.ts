import type { CreateMessageRequest } from './api.js';
import { authorizationTag, authVerifier } from './authorization.js';
import { encodeBase64url } from './base64url.js';
import { encodeContent, sealErrand, type Attachment } from './content.js';
import { deriveKeys, randomBytes } from './keys.js';
import { sealLabel, sealSenderCopy, type RecipientLabel, type SenderCopy } from './labels.js';
import { buildLink, linkIdBytes, secretBytes } from './link.js';
import { createSealStream, sealBytes, sealedLength } from './stream.js';

/**
 * Seals a whole message for the sender API, the one way every sending client (the
 * extension, the toolbox, the CLI) does it: fresh S and messageId, one linkId per
 * recipient, tags for who may read, the sealed errand and content document, and each
 * attachment sealed as a stream when it is uploaded; and, when given, each recipient's
 * label (with its link) and the sender's copy sealed to the receipt key (PROTOCOL.md §7.1).
 *
 * @example
 * const sealed = await sealMessage({ origin, errand, text, attachments: [], recipients: [{ readers: ['se-pnr:198112189876'] }], receiptKey });
 * await api.createMessage(sealed.request);
 * for (const payload of sealed.payloads) await api.upload(sealed.request.messageId, payload.index, payload.stream());
 * sealed.links[0] // https://…/o/<linkId>#<secret>
 */
export interface AttachmentSource extends Attachment {
  /** Opens the attachment's bytes (called once, when it is uploaded). */
  open(): ReadableStream<Uint8Array>;
  /** Exactly `length` bytes from `offset`, where the source allows random access (a file, a Blob): a chunked upload then seals any chunk on its own. */
  read?(offset: number, length: number): Promise<Uint8Array>;
}

export interface SealMessageInput {
  /** Where links point: the server's public origin. */
  origin: string;
  errand: string;
  text: string;
  html?: string;
  attachments: AttachmentSource[];
  /** One entry per link: identities and patterns (`se-pnr:…`) that may read, or '*'; and who it goes to. */
  recipients: { readers: '*' | string[]; label?: RecipientLabel }[];
  /** The sender's own copy, sealed to the receipt key. */
  senderCopy?: SenderCopy;
  /** The sender's X25519 receipt key. */
  receiptKey: Uint8Array;
  expiresAt?: string;
  readLimit?: number;
}

export interface SealedPayload {
  index: number;
  /** Ciphertext length. */
  length: number;
  /** The ciphertext, sealed as it is read. */
  stream(): ReadableStream<Uint8Array>;
  /** The plaintext it is sealed from under K_payload(index): the content document's bytes, or the attachment. */
  plaintext: { size: number; open(): ReadableStream<Uint8Array>; read?(offset: number, length: number): Promise<Uint8Array> };
}

export interface SealedMessage {
  request: CreateMessageRequest;
  payloads: SealedPayload[];
  /** The link of each recipient, in the order given. These hold the secret. */
  links: string[];
  /** S, the message secret (for a client that keeps its sent links). */
  secret: Uint8Array;
}

export async function sealMessage(input: SealMessageInput): Promise<SealedMessage> {
  const secret = randomBytes(secretBytes);
  const messageId = randomBytes(16);
  const keys = deriveKeys(secret, messageId);
  const content = encodeContent({
    v: 1,
    text: input.text,
    ...(input.html !== undefined ? { html: input.html } : {}),
    attachments: input.attachments.map(({ name, type, size }) => ({ name, type, size })),
  });
  const sealedContent = await sealBytes(keys.payload(0), content);
  const payloads: SealedPayload[] = [
    {
      index: 0,
      length: sealedContent.length,
      stream: () => new Blob([new Uint8Array(sealedContent)]).stream(),
      plaintext: { size: content.length, open: () => new Blob([new Uint8Array(content)]).stream(), read: async (offset, length) => content.subarray(offset, offset + length) },
    },
    ...input.attachments.map((attachment, i) => ({
      index: i + 1,
      length: sealedLength(attachment.size),
      stream: () => attachment.open().pipeThrough(createSealStream(keys.payload(i + 1))),
      plaintext: attachment.read ? { size: attachment.size, open: () => attachment.open(), read: (offset: number, length: number) => attachment.read!(offset, length) } : { size: attachment.size, open: () => attachment.open() },
    })),
  ];
  const linkIds = input.recipients.map(() => randomBytes(linkIdBytes));
  const links = linkIds.map((linkId) => buildLink(input.origin, linkId, secret));
  const request: CreateMessageRequest = {
    messageId: encodeBase64url(messageId),
    errand: encodeBase64url(await sealErrand(keys, input.errand)),
    authVerifier: encodeBase64url(authVerifier(keys.auth)),
    receiptKey: encodeBase64url(input.receiptKey),
    ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    ...(input.readLimit !== undefined ? { readLimit: input.readLimit } : {}),
    payloads: payloads.map(({ index, length }) => ({ index, length })),
    recipients: await Promise.all(
      input.recipients.map(async (recipient, i) => ({
        linkId: encodeBase64url(linkIds[i]!),
        tags: recipient.readers === '*' ? ('*' as const) : recipient.readers.map((who) => encodeBase64url(authorizationTag(keys.auth, who))),
        // The label carries its link (PROTOCOL.md §7.1), so any client of the sender can resend it.
        ...(recipient.label ? { label: encodeBase64url(await sealLabel(input.receiptKey, messageId, linkIds[i]!, { ...recipient.label, link: links[i]! })) } : {}),
      })),
    ),
    ...(input.senderCopy ? { senderCopy: encodeBase64url(await sealSenderCopy(input.receiptKey, messageId, input.senderCopy)) } : {}),
  };
  return { request, payloads, links, secret };
}
