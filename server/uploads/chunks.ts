import { chunkBytes, chunkCount, chunkRange, type ChunkResult } from '../../shared/api/uploads.js';
import type { AppDeps } from '../deps.js';
import { AppError, notFound } from '../errors.js';
import { StoreError } from '../store/errors.js';
import type { MessageRecord } from '../store/types.js';
import { emitEvent } from '../webhooks/events.js';

/**
 * The chunked upload (shared/api/uploads.ts). Each chunk streams into the blob store
 * (`putChunk`: first whole one wins, durable when it resolves), then a row records it as
 * held. The PUT that finds every chunk of a payload held makes the payload's one blob of
 * them (`joinChunks`: the data folder links the file the chunks were written into, the
 * object store joins its chunk objects), so every reader, Range included, sees a payload
 * as before; it counts the payload once (`countStoredPayload`: the count of the
 * message's last payload makes it ready in the same statement) and deletes the chunks.
 * Of two PUTs that find every chunk held, only the one that claims the join
 * (`claimJoin`, one conditional statement) joins; the other answers `complete: false`,
 * and the client waits for the payload to complete. A payload of one chunk is put as its
 * blob directly, as the whole-payload PUT does.
 */
type Deps = Pick<AppDeps, 'store' | 'blobs' | 'clock'>;

/** How long a process may take to join a payload before another may try (a 1 GiB join takes seconds to a minute). */
const joinClaimMs = 5 * 60_000;

/** Checks `Content-Range` (and `Content-Length`) against the chunk rule; the range the chunk must have. */
export function checkChunkRange(length: number, chunk: number, contentRange: string | undefined, contentLength: string | undefined): { start: number; end: number } {
  const count = chunkCount(length);
  if (chunk >= count) throw notFound('chunk_not_found', `this payload has ${count} chunks (0 … ${count - 1})`);
  const range = chunkRange(length, chunk);
  const expected = `bytes ${range.start}-${range.end - 1}/${length}`;
  if (contentRange === undefined) throw new AppError(400, 'chunk_range_missing', `send Content-Range: ${expected}`);
  const match = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(contentRange.trim());
  if (!match || Number(match[1]) !== range.start || Number(match[2]) !== range.end - 1 || Number(match[3]) !== length) {
    throw new AppError(400, 'chunk_range_invalid', `chunk ${chunk} of this payload is exactly ${expected}`);
  }
  if (contentLength !== undefined && Number(contentLength) !== range.end - range.start) {
    throw new AppError(400, 'chunk_length_invalid', `chunk ${chunk} of this payload is ${range.end - range.start} bytes`);
  }
  return range;
}

const notUploading = (state: string) => new AppError(409, 'message_not_uploading', `the message is ${state}; payloads cannot change`);

/** Stores one chunk (unless held) and completes its payload when it was the last; idempotent. */
export async function putChunk(
  deps: Deps,
  message: MessageRecord,
  index: number,
  chunk: number,
  headers: { contentRange: string | undefined; contentLength: string | undefined },
  body: AsyncIterable<Uint8Array> | null,
): Promise<ChunkResult> {
  const { store, blobs } = deps;
  const length = message.payloadLengths[index];
  if (length === undefined) throw notFound('payload_not_found', 'the message has no payload with this index');
  const range = checkChunkRange(length, chunk, headers.contentRange, headers.contentLength);
  if (message.state === 'ready') return { index, chunk, complete: true, state: 'ready' };
  if (message.state !== 'uploading') throw notUploading(message.state);
  const progress = await store.chunks.progress(message.id, index);
  if (progress.complete) return { index, chunk, complete: true, state: await stateOf(deps, message.id) };

  const count = chunkCount(length);
  let held = progress.chunks.length;
  if (!progress.chunks.includes(chunk)) {
    try {
      // One chunk is the whole payload: its blob at once, no join.
      if (count === 1) await blobs.put(message.id, index, length, body ?? []);
      else await blobs.putChunk(message.id, index, chunk, range.end - range.start, body ?? []);
    } catch (error) {
      // Another PUT of this chunk (or payload) landed first: it is whole, so it is held.
      if (!(error instanceof StoreError && error.code === 'payload_exists')) throw error;
    }
    const added = await store.chunks.add(message.id, index, chunk);
    if (added === undefined) return afterStateChange(deps, message, index, chunk);
    held = added;
  }
  if (held < count) return { index, chunk, complete: false, state: 'uploading' };
  // One process joins at a time: a second join of one key could spoil the first's object on a store without conditional writes.
  const now = deps.clock.now();
  if (count > 1 && !(await store.chunks.claimJoin(message.id, index, now, now + joinClaimMs))) return { index, chunk, complete: false, state: 'uploading' };
  try {
    return { index, chunk, complete: true, state: await completePayload(deps, message, index, length) };
  } catch (error) {
    if (count > 1) await store.chunks.releaseJoin(message.id, index).catch(() => undefined);
    throw error;
  }
}

/** The message stopped uploading while the chunk arrived: it became ready (all is well) or was revoked (keep nothing). */
async function afterStateChange(deps: Deps, message: MessageRecord, index: number, chunk: number): Promise<ChunkResult> {
  const now = await deps.store.messages.get(message.id);
  if (now?.state === 'ready') return { index, chunk, complete: true, state: 'ready' };
  await deps.blobs.deleteMessage(message.id, message.payloadLengths.length);
  throw notUploading(now?.state ?? 'gone');
}

async function stateOf(deps: Deps, messageId: string): Promise<ChunkResult['state']> {
  return (await deps.store.messages.get(messageId))?.state ?? 'expired';
}

/** Joins the payload's chunks into its blob (once), counts it (once), and deletes the chunks. */
async function completePayload(deps: Deps, message: MessageRecord, index: number, length: number): Promise<ChunkResult['state']> {
  const { store, blobs, clock } = deps;
  const count = chunkCount(length);
  if (count > 1) {
    try {
      await blobs.joinChunks(message.id, index, length, count);
    } catch (error) {
      // Another process joined it at the same moment: its blob landed first (payload_exists), or
      // it took the part file or deleted the chunks this join was reading, or the object store
      // refused the second write of one key. Whatever the error, a whole payload blob means it is joined.
      const joinedElsewhere = (error instanceof StoreError && error.code === 'payload_exists') || (await blobs.size(message.id, index)) === length;
      if (!joinedElsewhere) throw error;
    }
  }
  const counted = await store.messages.countStoredPayload(message.id, index);
  if (counted === undefined) {
    await blobs.deleteMessage(message.id, message.payloadLengths.length);
    throw notUploading((await store.messages.get(message.id))?.state ?? 'gone');
  }
  if (count > 1) await blobs.deleteChunks(message.id, index, count);
  if (counted === 'ready') await emitEvent(store, message.senderId, 'message.ready', { messageId: message.id }, clock.now());
  return counted === 'duplicate' ? stateOf(deps, message.id) : counted;
}

/** What the sender's GET on a payload answers: its chunk layout and the chunks held. */
export async function payloadUpload(deps: Deps, message: MessageRecord, index: number) {
  const length = message.payloadLengths[index];
  if (length === undefined) throw notFound('payload_not_found', 'the message has no payload with this index');
  const progress = await deps.store.chunks.progress(message.id, index);
  const count = chunkCount(length);
  const complete = progress.complete || message.state === 'ready';
  return {
    index,
    length,
    chunkBytes,
    chunkCount: count,
    chunks: complete ? Array.from({ length: count }, (_, chunk) => chunk) : progress.chunks,
    complete,
    state: message.state,
  };
}
