import { AppError, notFound } from '../errors.js';
import type { BlobStore } from '../store/blob-store.js';
import type { MessageRecord, Store } from '../store/types.js';

/**
 * Streams one payload to the blob store and counts it in one conditional update; the
 * update that counts the last payload also makes the message ready (visible to
 * recipients), so a killed upload never leaves a half-written message visible. The blob
 * store refuses a second blob for the same payload, so nothing is counted twice.
 */
export async function uploadPayload(
  store: Store,
  blobs: BlobStore,
  message: MessageRecord,
  index: number,
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: string | undefined,
): Promise<'uploading' | 'ready'> {
  if (message.state !== 'uploading') {
    throw new AppError(409, 'message_not_uploading', `the message is ${message.state}; payloads cannot change`);
  }
  const length = message.payloadLengths[index];
  if (length === undefined) throw notFound('payload_not_found', 'the message has no payload with this index');
  if (declaredLength !== undefined && Number(declaredLength) > length) {
    throw new AppError(413, 'payload_too_large', `the payload is longer than its declared ${length} bytes`);
  }
  if ((await blobs.size(message.id, index)) !== undefined) throw new AppError(409, 'payload_exists', 'this payload is already uploaded');
  await blobs.put(message.id, index, length, body ?? []);

  const state = await store.messages.countStoredPayload(message.id, index);
  // Counted before: an object store without conditional writes let a second upload through.
  if (state === 'duplicate') throw new AppError(409, 'payload_exists', 'this payload is already uploaded');
  if (state === undefined) {
    // Revoked or purged while the bytes were arriving: keep nothing.
    await blobs.deleteMessage(message.id, message.payloadLengths.length);
    const now = await store.messages.get(message.id);
    throw new AppError(409, 'message_not_uploading', `the message is ${now?.state ?? 'gone'}; payloads cannot change`);
  }
  return state;
}
