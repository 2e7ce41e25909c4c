import type { Readable } from 'node:stream';

/**
 * Payload ciphertext behind one small interface, with a back end per place it can live:
 * the data folder (`file-blobs.ts`, the embedded default) and any S3-compatible object
 * store (branch `blobs`). A blob is one payload of one message, addressed by
 * `(messageId, index)`; it holds ciphertext only. Errors are `StoreError`s.
 *
 * Rules every back end keeps (the contract tests check them):
 * - `put` stores exactly `length` bytes or nothing: a body that is longer fails with
 *   `payload_too_long` as soon as it goes past, a shorter one with `length_mismatch`,
 *   and a put that fails, is aborted or whose process dies leaves no blob under its
 *   name (only a leftover that `removeLeftovers` or the store's own lifecycle clears).
 * - A blob is never replaced: a second `put` of one `(messageId, index)` fails with
 *   `payload_exists`, also when two run at the same moment (exactly one succeeds).
 * - `get` and `read` of a missing blob fail with `not_found` before any byte is streamed.
 * - `read` hands back small bodies whole and larger ones as a Node stream; destroying
 *   that stream (or aborting `signal`) releases its file or request at once.
 *
 * @example
 * await blobs.put(messageId, 0, 65_552, request.body);
 * const body = await blobs.get(messageId, 0, { signal: request.signal });
 * const { bytes, stream } = await blobs.read(messageId, 0, { size: 65_552 });
 * await blobs.deleteMessage(messageId, 1);
 */
export interface BlobPutOptions {
  /** Aborts the upload: the partial data is dropped and `put` fails with `aborted`. */
  signal?: AbortSignal;
}

export interface BlobGetOptions {
  /** Stops reading (the file is closed, the HTTP request cancelled); cancelling the stream does the same. */
  signal?: AbortSignal;
  /** Bytes `start` … `end - 1` only (for resumed downloads, later). */
  range?: { start: number; end: number };
}

export interface BlobReadOptions {
  /** The blob's length as the database records it (the caller knows it; no stat is needed). */
  size: number;
  /** Bytes `start` … `end - 1` only, with 0 <= start < end <= size. */
  range?: { start: number; end: number };
  /** Stops reading: the file is closed, the HTTP request cancelled. */
  signal?: AbortSignal;
}

/**
 * A blob's bytes for an HTTP answer: up to `wholeBlobBytes` as one buffer, read in one
 * call; more as a Node stream, which the caller pipes and must destroy on every path.
 */
export type BlobBody = { bytes: Buffer<ArrayBuffer>; stream?: undefined } | { stream: Readable; bytes?: undefined };

/** `read` hands back bodies (or ranges) up to this many bytes whole. */
export const wholeBlobBytes = 256 * 1024;

/** One stored blob, as `list` reports it. */
export interface BlobEntry {
  messageId: string;
  index: number;
  size: number;
}

export interface BlobStore {
  /** Where blobs live, for logs and the start banner: `data folder` or `s3://bucket`. */
  readonly description: string;
  /** Streams `body` in; resolves once the blob is durable and visible under its name. */
  put(messageId: string, index: number, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: BlobPutOptions): Promise<void>;
  /** The blob's bytes, streamed; rejects with `not_found` when there is none. */
  get(messageId: string, index: number, options?: BlobGetOptions): Promise<ReadableStream<Uint8Array>>;
  /**
   * The blob's bytes (or a range) for a response: a buffer for small bodies, a Node stream
   * for large ones. Rejects with `not_found` when there is none, or with `length_mismatch`
   * when a small blob holds fewer bytes than `size`.
   */
  read(messageId: string, index: number, options: BlobReadOptions): Promise<BlobBody>;
  /**
   * Streams chunk `chunk` of payload `index` in, for a payload uploaded in chunks
   * (shared/api/uploads.ts; chunk k starts at k × chunkBytes), apart from the payload's
   * blob until `joinChunks` (the data folder writes it in place in the payload's part
   * file, the object store as an object of its own). The rules of `put` hold for each
   * chunk: exactly `length` bytes or nothing, and never replaced (the first whole chunk
   * wins; a later one fails with `payload_exists`, also when two run at once, and only
   * one of them writes), so a chunk that resolved is durable, whole, and may be counted
   * as held.
   */
  putChunk(messageId: string, index: number, chunk: number, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: BlobPutOptions): Promise<void>;
  /** A stored chunk's bytes, streamed; rejects with `not_found` when there is none. */
  getChunk(messageId: string, index: number, chunk: number, options?: BlobGetOptions): Promise<ReadableStream<Uint8Array>>;
  /**
   * Makes payload `index` (`length` bytes) from its chunks 0 … chunkCount-1, all stored:
   * resolves once the blob is durable and visible under its name, as `put` does; fails
   * with `payload_exists` when it is stored already (never replaced). The data folder
   * links its part file into place (no byte copied); the object store streams the
   * chunks into the payload's object.
   */
  joinChunks(messageId: string, index: number, length: number, chunkCount: number): Promise<void>;
  /** Deletes chunks 0 … chunkCount-1 of payload `index` (once it is stored whole); missing ones are fine. */
  deleteChunks(messageId: string, index: number, chunkCount: number): Promise<void>;
  /** The stored blob's length in bytes, or undefined when there is none. */
  size(messageId: string, index: number): Promise<number | undefined>;
  /** Deletes blobs 0 … payloadCount-1 of a message and any chunks of it (missing ones are fine). */
  deleteMessage(messageId: string, payloadCount: number): Promise<void>;
  /** Every stored blob, for the purge (blobs whose message is gone) and the migration. */
  list(): AsyncIterable<BlobEntry>;
  /** Removes partial uploads older than `olderThanMs` left by uploads that died; returns how many. */
  removeLeftovers(olderThanMs: number): Promise<number>;
  /** Releases connections and handles. */
  close(): Promise<void>;
}
