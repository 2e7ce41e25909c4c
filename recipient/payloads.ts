import { checkAttachmentSize, parseContent, type Attachment, type ContentDocument } from '../shared/content.js';
import type { MessageKeys } from '../shared/keys.js';
import { collect, createOpenStream } from '../shared/stream.js';
import { getPayload } from './api.js';

/**
 * Payloads after approval (PROTOCOL.md §5, §8.4): fetched with the release token and
 * opened as streams, segment by segment, with progress counted on the ciphertext.
 *
 * @example
 * const document = await openContent(release, (done, total) => bar.value = done / total);
 * const plaintext = await openAttachment(release, 1, document.attachments[0], onProgress);
 */
export interface Release {
  linkId: string;
  releaseToken: string;
  keys: MessageKeys;
  /** Ciphertext length of each payload, from the link (for progress). */
  lengths: Map<number, number>;
}

export type Progress = (done: number, total: number) => void;

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

/** Payload `index`'s plaintext, as a stream that errors on any altered or cut ciphertext. */
export async function openPayload(release: Release, index: number, onProgress: Progress): Promise<ReadableStream<Uint8Array>> {
  const ciphertext = await getPayload(release.linkId, index, release.releaseToken);
  return ciphertext.pipeThrough(counting(release.lengths.get(index) ?? 0, onProgress)).pipeThrough(createOpenStream(release.keys.payload(index)));
}

/** Payload 0, the content document. */
export async function openContent(release: Release, onProgress: Progress): Promise<ContentDocument> {
  return parseContent(await collect(await openPayload(release, 0, onProgress)));
}

/** Attachment `index` (payload index ≥ 1), refusing a length other than its declared size. */
export async function openAttachment(release: Release, index: number, attachment: Attachment, onProgress: Progress): Promise<ReadableStream<Uint8Array>> {
  return (await openPayload(release, index, onProgress)).pipeThrough(checkAttachmentSize(attachment));
}
