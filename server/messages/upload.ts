import { AppError, notFound } from '../errors.js';
import type { BlobStore } from '../store/blobs.js';
import { inTransaction, type Db } from '../store/database.js';
import type { MessageRow } from './queries.js';

/**
 * Streams one payload to the blob store and records it. When the last payload is in,
 * the message becomes ready (visible to recipients) in the same transaction, so a
 * killed upload never leaves a half-written message visible.
 */
export async function uploadPayload(
  db: Db,
  blobs: BlobStore,
  message: MessageRow,
  index: number,
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: string | undefined,
  now: () => number,
): Promise<MessageRow['state']> {
  if (message.state !== 'uploading') {
    throw new AppError(409, 'message_not_uploading', `the message is ${message.state}; payloads cannot change`);
  }
  const payload = db
    .prepare('SELECT length, stored_at FROM payloads WHERE message_id = ? AND payload_index = ?')
    .get(message.id, index) as { length: number; stored_at: number | null } | undefined;
  if (!payload) throw notFound('payload_not_found', 'the message has no payload with this index');
  if (payload.stored_at !== null) throw new AppError(409, 'payload_exists', 'this payload is already uploaded');
  if (declaredLength !== undefined && Number(declaredLength) > payload.length) {
    throw new AppError(413, 'payload_too_large', `the payload is longer than its declared ${payload.length} bytes`);
  }
  await blobs.write(message.id, index, payload.length, body ?? []);

  const state = inTransaction(db, (): MessageRow['state'] | undefined => {
    const stored = db
      .prepare(
        `UPDATE payloads SET stored_at = ?1 WHERE message_id = ?2 AND payload_index = ?3
         AND (SELECT state FROM messages WHERE id = ?2) = 'uploading'`,
      )
      .run(now(), message.id, index).changes;
    if (stored === 0) return (db.prepare('SELECT state FROM messages WHERE id = ?').get(message.id) as { state: MessageRow['state'] } | undefined)?.state;
    const ready = db
      .prepare(
        `UPDATE messages SET state = 'ready' WHERE id = ?1
         AND NOT EXISTS (SELECT 1 FROM payloads WHERE message_id = ?1 AND stored_at IS NULL)`,
      )
      .run(message.id).changes;
    return ready === 1 ? 'ready' : 'uploading';
  });
  if (state !== 'uploading' && state !== 'ready') {
    // Revoked or purged while the bytes were arriving: keep nothing.
    await blobs.remove(message.id);
    throw new AppError(409, 'message_not_uploading', `the message is ${state ?? 'gone'}; payloads cannot change`);
  }
  return state;
}
