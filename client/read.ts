import type { LinkInfo, VerificationState } from '../shared/api.js';
import { decodeBase64url, encodeBase64url } from '../shared/base64url.js';
import { checkAttachmentSize, openErrand, parseContent, type Attachment, type ContentDocument } from '../shared/content.js';
import { deriveKeys, type MessageKeys } from '../shared/keys.js';
import { parseLink } from '../shared/link.js';
import { collect, createOpenStream } from '../shared/stream.js';
import { ApiError } from './errors.js';
import { resumingPayload, type ResumeOptions } from './payload-stream.js';
import type { RecipientApi } from './recipient-api.js';

/**
 * The recipient's flow over RecipientApi (PROTOCOL.md §8), the one way every reader does
 * it: open the link (errand before BankID), start a verification with K_auth, wait for
 * its end, then fetch and open the payloads as streams, with progress counted on the
 * ciphertext. The recipient page drives the waiting itself (it shows the QR code).
 *
 * @example
 * const opened = await openLink(api, linkId, secret);
 * const { verificationId } = await startReading(api, opened);
 * const state = await waitForVerification(api, verificationId);
 * if (state.status === 'approved') {
 *   const message = await readMessage(api, releaseOf(opened, state.releaseToken));
 * }
 */
export interface OpenedLink {
  linkId: string;
  info: LinkInfo;
  keys: MessageKeys;
  errand: string;
}

export interface Release {
  linkId: string;
  releaseToken: string;
  keys: MessageKeys;
  /** Ciphertext length of each payload, from the link (for progress). */
  lengths: Map<number, number>;
}

export type Progress = (done: number, total: number) => void;

/** GET the link and open its errand. A FormatError means the secret is damaged. */
export async function openLink(api: RecipientApi, linkId: string, secret: Uint8Array): Promise<OpenedLink> {
  const info = await api.link(linkId);
  const keys = deriveKeys(secret, decodeBase64url(info.messageId, 16));
  return { linkId, info, keys, errand: await openErrand(keys, decodeBase64url(info.errand)) };
}

/** The same from a whole link text (`<origin>/o/<linkId>#<secret>`). */
export async function openLinkText(api: RecipientApi, link: string): Promise<OpenedLink> {
  const parsed = parseLink(link);
  return openLink(api, encodeBase64url(parsed.linkId), parsed.secret);
}

export function startReading(api: RecipientApi, opened: OpenedLink, personalNumber?: string) {
  return api.startVerification(opened.linkId, { authKey: encodeBase64url(opened.keys.auth), ...(personalNumber ? { personalNumber } : {}) });
}

/** Polls until the verification is no longer pending. */
export async function waitForVerification(
  api: RecipientApi,
  verificationId: string,
  options: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Exclude<VerificationState, { status: 'pending' }>> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    options.signal?.throwIfAborted();
    const state = await api.verification(verificationId);
    if (state.status !== 'pending') return state;
    if (Date.now() > deadline) throw new ApiError(408, 'verification_timeout', 'the identification did not end in time');
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

export function releaseOf(opened: OpenedLink, releaseToken: string): Release {
  return { linkId: opened.linkId, releaseToken, keys: opened.keys, lengths: new Map(opened.info.payloads.map((payload) => [payload.index, payload.length])) };
}

function counting(total: number, onProgress: Progress): TransformStream<Uint8Array, Uint8Array> {
  let done = 0;
  onProgress(0, total);
  return new TransformStream({
    transform(chunk, controller) {
      done += chunk.length;
      onProgress(done, total);
      controller.enqueue(chunk);
    },
  });
}

/**
 * Payload `index`'s plaintext, as a stream that errors on any altered or cut ciphertext.
 * A broken connection is resumed by range from the last whole segment (`resumingPayload`).
 */
export async function openPayload(api: RecipientApi, release: Release, index: number, onProgress: Progress = () => {}, resume?: ResumeOptions): Promise<ReadableStream<Uint8Array>> {
  const length = release.lengths.get(index) ?? 0;
  const ciphertext = await resumingPayload(api, { linkId: release.linkId, releaseToken: release.releaseToken, index, length }, resume);
  return ciphertext.pipeThrough(counting(length, onProgress)).pipeThrough(createOpenStream(release.keys.payload(index)));
}

/** Payload 0, the content document. */
export async function openContent(api: RecipientApi, release: Release, onProgress?: Progress): Promise<ContentDocument> {
  return parseContent(await collect(await openPayload(api, release, 0, onProgress)));
}

/** Attachment `index` (payload index ≥ 1), refusing a length other than its declared size. */
export async function openAttachment(
  api: RecipientApi,
  release: Release,
  index: number,
  attachment: Attachment,
  onProgress?: Progress,
  resume?: ResumeOptions,
): Promise<ReadableStream<Uint8Array>> {
  return (await openPayload(api, release, index, onProgress, resume)).pipeThrough(checkAttachmentSize(attachment));
}

/** The content document and every attachment, in memory (for small messages: tests, scripts). */
export async function readMessage(api: RecipientApi, release: Release): Promise<{ content: ContentDocument; attachments: Uint8Array[] }> {
  const content = await openContent(api, release);
  const attachments: Uint8Array[] = [];
  for (const [i, attachment] of content.attachments.entries()) attachments.push(await collect(await openAttachment(api, release, i + 1, attachment)));
  return { content, attachments };
}
