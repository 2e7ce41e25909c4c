import { AppError, notFound } from '../errors.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/database.js';
import { batchedWrite } from '../store/transactions.js';
import { payloadLengths, type MessageRow } from './queries.js';

/**
 * Streams one payload to the blob store and counts it in one update; the update that
 * counts the last payload also makes the message ready (visible to recipients), so a
 * killed upload never leaves a half-written message visible. The blob store refuses a
 * second file for the same payload, so nothing is counted twice.
 */
export async function uploadPayload(
  db: Db,
  blobs: BlobStore,
  message: MessageRow,
  index: number,
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: string | undefined,
): Promise<MessageRow['state']> {
  if (message.state !== 'uploading') {
    throw new AppError(409, 'message_not_uploading', `the message is ${message.state}; payloads cannot change`);
  }
  const lengths = payloadLengths(message);
  const length = lengths[index];
  if (length === undefined) throw notFound('payload_not_found', 'the message has no payload with this index');
  if (declaredLength !== undefined && Number(declaredLength) > length) {
    throw new AppError(413, 'payload_too_large', `the payload is longer than its declared ${length} bytes`);
  }
  if ((await blobs.size(message.id, index)) !== undefined) throw new AppError(409, 'payload_exists', 'this payload is already uploaded');
  await blobs.write(message.id, index, length, body ?? []);

  const counted = await batchedWrite(
    db,
    () =>
      db
        .prepare(
          `UPDATE messages SET payloads_stored = payloads_stored + 1,
             state = CASE WHEN payloads_stored + 1 = json_array_length(payload_lengths) THEN 'ready' ELSE state END
           WHERE id = ? AND state = 'uploading'
           RETURNING state`,
        )
        .get(message.id) as { state: MessageRow['state'] } | undefined,
  );
  if (!counted) {
    // Revoked or purged while the bytes were arriving: keep nothing.
    await blobs.remove(message.id, lengths.length);
    const now = db.prepare('SELECT state FROM messages WHERE id = ?').get(message.id) as { state: string } | undefined;
    throw new AppError(409, 'message_not_uploading', `the message is ${now?.state ?? 'gone'}; payloads cannot change`);
  }
  return counted.state;
}
