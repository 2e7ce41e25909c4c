import { chunkCount, chunkPlaintextBytes, chunkRange, chunkSegments } from '../shared/chunks.js';
import type { ChunkResult, PayloadUpload } from '../shared/api.js';
import { decodeBase64url } from '../shared/base64url.js';
import { deriveKeys } from '../shared/keys.js';
import { sealedLength, sealSegmentParts, sealSegments, type SegmentKey } from '../shared/stream.js';
import type { ByteSource } from './byte-source.js';
import { ApiError, clientError } from './errors.js';
import type { SenderApi } from './sender-api.js';
import type { UploadProgress } from './send.js';

/**
 * The resumable chunked upload (shared/api/uploads.ts): asks the server which chunks of
 * each payload it holds, then seals and sends only the missing ones, several in flight,
 * each chunk sealed from its plaintext on its own (so memory is the chunks in flight,
 * whatever the size). A dropped connection or a 5xx is retried with backoff; a PUT is
 * idempotent, so a chunk whose answer was lost is simply sent again.
 *
 * @example
 * await uploadChunked(api, { messageId, secret, payloads: [{ index: 0, source: bytesSource(content) }, { index: 1, source: blobSource(file) }] }, {
 *   onProgress: ({ messageSent, messageTotal }) => bar.update(messageSent / messageTotal),
 * });
 */
export interface ChunkedPayload {
  index: number;
  /** The payload's plaintext: the content document (index 0) or an attachment. */
  source: ByteSource;
}

export interface ChunkedUpload {
  messageId: string;
  /** S, the message secret: the payload keys come from it. */
  secret: Uint8Array;
  payloads: ChunkedPayload[];
}

export interface ChunkedUploadOptions {
  /** Chunks in flight over the whole message (default 3). */
  inFlight?: number;
  /**
   * How each chunk's body is sent: 'bytes' (the default) one joined Uint8Array; 'blob' a
   * Blob of its sealed parts, for browsers, where the parts then leave the page's JS heap
   * and the body is not copied again, so more chunks fit in flight.
   */
  bodies?: 'bytes' | 'blob';
  /** Attempts per chunk (and per status request) on a dropped connection or a 5xx (default 8). */
  retries?: number;
  /** Ciphertext bytes the server holds, after each chunk (and once at the start, with what it already had). */
  onProgress?: (progress: UploadProgress) => void;
  /** After each chunk the server holds (for a resume file). */
  onChunk?: (index: number, chunk: number) => void | Promise<void>;
  signal?: AbortSignal;
}

/** Chunk `chunk` of a payload's ciphertext, sealed from its plaintext alone. */
export async function sealChunk(key: SegmentKey, source: ByteSource, chunk: number): Promise<Uint8Array> {
  const { first, plaintext, last } = await chunkPlaintext(source, chunk);
  return sealSegments(key, first, plaintext, last);
}

/** The same chunk as a Blob of its sealed parts: a browser moves them out of the page's memory, and no joined copy is made. */
async function sealChunkBlob(key: SegmentKey, source: ByteSource, chunk: number): Promise<Blob> {
  const { first, plaintext, last } = await chunkPlaintext(source, chunk);
  return new Blob((await sealSegmentParts(key, first, plaintext, last)) as Uint8Array<ArrayBuffer>[]);
}

/** Chunk `chunk`'s plaintext, its first segment's counter and whether it ends the payload. */
async function chunkPlaintext(source: ByteSource, chunk: number): Promise<{ first: number; plaintext: Uint8Array; last: boolean }> {
  const length = sealedLength(source.size);
  chunkRange(length, chunk); // refuses a chunk past the end
  const start = chunk * chunkPlaintextBytes;
  const last = chunk === chunkCount(length) - 1;
  const end = last ? source.size : start + chunkPlaintextBytes;
  const plaintext = end > start ? await source.read(start, end - start) : new Uint8Array(0);
  if (plaintext.length !== end - start) throw clientError('source_changed', 'an attachment is shorter than it was; send it again');
  return { first: chunk * chunkSegments, plaintext, last };
}

const retryable = (error: unknown) =>
  error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 408 || error.code === 'response_invalid') && error.code !== 'upload_aborted';

const aborted = () => new ApiError(0, 'upload_aborted', 'the upload was cancelled');

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** Runs `attempt` until it succeeds, retrying what a dropped connection or a busy server causes. */
async function withRetries<T>(attempts: number, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    if (signal.aborted) throw aborted();
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw aborted();
      if (!retryable(error) || tried >= attempts) throw error;
      await pause(Math.min(8000, 250 * 2 ** (tried - 1)), signal);
    }
  }
}

export async function uploadChunked(api: SenderApi, upload: ChunkedUpload, options: ChunkedUploadOptions = {}): Promise<{ state: ChunkResult['state'] }> {
  const inFlight = options.inFlight ?? 3;
  const attempts = options.retries ?? 8;
  if (!Number.isInteger(inFlight) || inFlight < 1) throw new RangeError('inFlight must be a whole number from 1');
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const keys = deriveKeys(upload.secret, decodeBase64url(upload.messageId));
  const { messageId } = upload;

  const held: PayloadUpload[] = [];
  for (const payload of upload.payloads) {
    const status = await withRetries(attempts, signal, () => api.payloadUpload(messageId, payload.index));
    if (status.length !== sealedLength(payload.source.size)) {
      throw clientError('source_changed', `payload ${payload.index} is not the size it had when the message was created`);
    }
    held.push(status);
  }
  const messageTotal = held.reduce((sum, status) => sum + status.length, 0);
  const sent = new Map<number, number>();
  const bytesOf = (status: PayloadUpload, chunks: Iterable<number>) => [...chunks].reduce((sum, chunk) => sum + (chunkRange(status.length, chunk).end - chunkRange(status.length, chunk).start), 0);
  const report = (index: number) => {
    const status = held.find((one) => one.index === index)!;
    let messageSent = 0;
    for (const value of sent.values()) messageSent += value;
    options.onProgress?.({ index, sent: sent.get(index)!, total: status.length, messageSent, messageTotal });
  };
  for (const status of held) sent.set(status.index, status.complete ? status.length : bytesOf(status, status.chunks));
  for (const status of held) report(status.index);

  // The jobs, in order: every missing chunk; a payload whose chunks are all in but that is not complete (a server that stopped mid-way) gets its last chunk again.
  const jobs: { payload: ChunkedPayload; status: PayloadUpload; chunk: number }[] = [];
  for (const [i, status] of held.entries()) {
    if (status.complete) continue;
    const have = new Set(status.chunks);
    const missing = Array.from({ length: status.chunkCount }, (_, chunk) => chunk).filter((chunk) => !have.has(chunk));
    for (const chunk of missing.length > 0 ? missing : [status.chunkCount - 1]) jobs.push({ payload: upload.payloads[i]!, status, chunk });
  }

  let state: ChunkResult['state'] = held.every((status) => status.complete) ? (held[0]?.state ?? 'uploading') : 'uploading';
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { payload, status, chunk } = jobs[next++]!;
      const seal = options.bodies === 'blob' ? sealChunkBlob : sealChunk;
      const body = await seal(keys.payload(payload.index), payload.source, chunk);
      const result = await withRetries(attempts, signal, () => api.putChunk(messageId, payload.index, chunk, body, { length: status.length, signal }));
      if (!status.chunks.includes(chunk)) {
        status.chunks.push(chunk);
        sent.set(payload.index, sent.get(payload.index)! + (body instanceof Blob ? body.size : body.length));
      }
      if (result.complete) {
        sent.set(payload.index, status.length);
        status.complete = true;
      }
      if (result.state === 'ready') state = 'ready';
      else if (state !== 'ready') state = result.state;
      report(payload.index);
      await options.onChunk?.(payload.index, chunk);
    }
  };
  /**
   * Every chunk is in but a payload is not complete yet: another request (whose answer
   * was lost, or another process) is joining it. Wait for it, and send the last chunk again
   * now and then, which joins it if that join died.
   */
  const awaitJoin = async (payload: ChunkedPayload, status: PayloadUpload) => {
    for (let polls = 1; !status.complete; polls++) {
      if (polls > 1200) throw new ApiError(0, 'upload_incomplete', 'the server holds every chunk but did not finish the payload; try again later');
      await pause(1000, signal);
      const now = await withRetries(attempts, signal, () => api.payloadUpload(messageId, payload.index));
      if (now.complete) {
        status.complete = true;
        state = now.state === 'ready' ? 'ready' : state;
      } else if (polls % 30 === 0) {
        const last = status.chunkCount - 1;
        const result = await withRetries(attempts, signal, async () => api.putChunk(messageId, payload.index, last, await sealChunk(keys.payload(payload.index), payload.source, last), { length: status.length, signal }));
        status.complete = result.complete;
        if (result.state === 'ready') state = 'ready';
      }
    }
    sent.set(payload.index, status.length);
    report(payload.index);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, Math.max(1, jobs.length)) }, () => worker().catch((error: unknown) => {
      stop.abort();
      throw error;
    })));
    for (const [i, status] of held.entries()) if (!status.complete) await awaitJoin(upload.payloads[i]!, status);
    if (state !== 'ready' && held.length > 0) state = (await withRetries(attempts, signal, () => api.payloadUpload(messageId, held[0]!.index))).state === 'ready' ? 'ready' : state;
  } catch (error) {
    if (options.signal?.aborted) throw aborted();
    throw error;
  }
  return { state };
}
