import { randomUUID } from 'node:crypto';
import { createReadStream, open as openFile, read as readFrom, readSync, statSync } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { wholeBlobBytes, type BlobGetOptions, type BlobPutOptions, type BlobStore } from './blob-store.js';
import { emptyStream, relay } from './blob-streams.js';
import { fileChunks } from './file-chunks.js';
import { StoreError } from './errors.js';
import { openFiles, type HeldFile } from './open-files.js';

/**
 * The data-folder BlobStore (the embedded default): one file per payload beside the
 * database (measured faster than rows: PERFORMANCE.md), as
 * `blobs/<first two characters>/<messageId>.<index>`. A payload is written to a `.part`
 * file, flushed to disk, and linked into place (which fails if the payload exists), so
 * a killed upload never leaves a partial payload under its real name and a payload is
 * never replaced. A payload uploaded in chunks is written in place into one part file
 * and linked the same way when it is complete (file-chunks.ts). Files hold ciphertext only.
 *
 * @example
 * const blobs = createFileBlobStore('./data');
 * await blobs.put(messageId, 0, bytes.length, [bytes]);
 */
export interface FileBlobOptions {
  /**
   * How bodies up to `wholeBlobBytes` are read, from a descriptor opened in the process's
   * own thread and kept open a few seconds for the next read (open-files.ts).
   * 'thread-pool' (one server process): the read on libuv's threads, which put the core
   * the process does not use to work. 'sync' (a worker per core, SIGILL_WORKERS > 1): in
   * the process's own thread, since every core has a worker and each trip to the thread
   * pool is only a wake-up that costs more than the page-cache read itself.
   */
  smallReads?: 'thread-pool' | 'sync';
}

export function createFileBlobStore(dataDir: string, options: FileBlobOptions = {}): BlobStore {
  const smallReadsSync = options.smallReads === 'sync';
  const root = join(dataDir, 'blobs');
  const made = new Set<string>();
  const descriptors = openFiles();
  // Message ids are base64url (no '/' or '.'), checked at the API edge.
  const shard = (messageId: string) => join(root, messageId.slice(0, 2));
  const file = (messageId: string, index: number) => join(shard(messageId), `${messageId}.${index}`);
  const blobName = /^([A-Za-z0-9_-]+)\.(\d+)$/;
  // A payload uploaded in chunks is written in place in a folder of its own until it is complete (file-chunks.ts).
  const chunkFolder = (messageId: string) => join(shard(messageId), `${messageId}.chunks`);

  /** Writes a `.part` file, flushes it and links it into place: all of `length` bytes under `target`, once, or nothing. */
  async function writeOnce(folder: string, target: string, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: BlobPutOptions): Promise<void> {
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    // Unique per upload: two uploads of one payload at the same moment must not share it.
    const partial = `${target}.${randomUUID()}.part`;
    const handle = await open(partial, 'wx');
    let written = 0;
    // Chunks are gathered up to 256 KiB and written with one writev: fewer trips to the thread pool.
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    try {
      for await (const chunk of body) {
        if (options.signal?.aborted) throw new StoreError('aborted', 'the upload was cancelled');
        written += chunk.length;
        if (written > length) throw new StoreError('payload_too_long', `the payload is longer than its declared ${length} bytes`);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= 256 * 1024) {
          await handle.writev(pending);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pending.length > 0) await handle.writev(pending);
      if (written !== length) throw new StoreError('length_mismatch', `the payload has ${written} bytes, not the declared ${length}`);
      await handle.sync();
      await handle.close();
      // link(2) refuses an existing name: two uploads of one payload cannot both land.
      await link(partial, target).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EEXIST' ? new StoreError('payload_exists', 'this payload is already stored') : error;
      });
      await unlink(partial); // the payload keeps its other name
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** A file's bytes (or a range) as a web stream; `not_found` before any byte when it is missing. */
  async function readStream(path: string, options: BlobGetOptions): Promise<ReadableStream<Uint8Array>> {
    const range = options.range;
    // Opened before answering, so a missing file is `not_found`, not a broken stream.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new StoreError('not_found', 'no such payload') : error;
    });
    if (range && range.end <= range.start) {
      await handle.close();
      return emptyStream();
    }
    const stream = handle.createReadStream({
      highWaterMark: 256 * 1024,
      ...(range ? { start: range.start, end: range.end - 1 } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Cancelling the web stream destroys the file stream, which closes the file.
    return relay(Readable.toWeb(stream) as ReadableStream<Uint8Array>, options.signal, (error) => new StoreError('unavailable', 'the payload file could not be read', { cause: error }));
  }
  const chunks = fileChunks(chunkFolder, readStream);

  return {
    description: 'data folder',
    async put(messageId, index, length, body, options = {}) {
      await writeOnce(shard(messageId), file(messageId, index), length, body, options);
    },
    async putChunk(messageId, index, chunk, length, body, options = {}) {
      await chunks.put(messageId, index, chunk, length, body, options);
    },
    async getChunk(messageId, index, chunk, options = {}) {
      return chunks.get(messageId, index, chunk, options);
    },
    async joinChunks(messageId, index, length) {
      if (!made.has(shard(messageId))) {
        await mkdir(shard(messageId), { recursive: true });
        made.add(shard(messageId));
      }
      await chunks.join(messageId, index, length, file(messageId, index));
    },
    async deleteChunks(messageId, index) {
      await chunks.delete(messageId, index);
    },
    async get(messageId, index, options = {}) {
      return readStream(file(messageId, index), options);
    },
    async read(messageId, index, { size, range, signal }) {
      const start = range?.start ?? 0;
      const end = range?.end ?? size;
      if (signal?.aborted) throw new StoreError('aborted', 'the payload transfer was cancelled');
      const path = file(messageId, index);
      if (end - start <= wholeBlobBytes) {
        // Opened here, synchronously, or still open from a read moments ago (open-files.ts).
        let held: HeldFile;
        try {
          held = descriptors.acquire(path);
        } catch (error) {
          throw missingAsNotFound(error);
        }
        try {
          return { bytes: smallReadsSync ? readExactlySync(held.fd, start, end - start) : await readExactly(held.fd, start, end - start) };
        } finally {
          held.release();
        }
      }
      const fd = await openForReading(path);
      // The stream owns the descriptor from here: it closes it when it ends, errors or is destroyed.
      return { stream: createReadStream('', { fd, start, end: end - 1, highWaterMark: 256 * 1024, ...(signal ? { signal } : {}) }) };
    },
    async size(messageId, index) {
      // Synchronous: one local stat costs microseconds, less than the trip to the thread
      // pool, and a missing file (the usual answer before an upload) costs no error object.
      return statSync(file(messageId, index), { throwIfNoEntry: false })?.size;
    },
    async deleteMessage(messageId, payloadCount) {
      for (let index = 0; index < payloadCount; index++) descriptors.forget(file(messageId, index));
      await Promise.all(Array.from({ length: payloadCount }, (_, index) => rm(file(messageId, index), { force: true })));
      await rm(chunkFolder(messageId), { recursive: true, force: true });
    },
    async *list() {
      for (const folder of await readdir(root).catch(() => [] as string[])) {
        for (const name of await readdir(join(root, folder)).catch(() => [] as string[])) {
          const match = blobName.exec(name);
          if (!match) continue;
          const size = (await stat(join(root, folder, name)).catch(() => undefined))?.size;
          if (size !== undefined) yield { messageId: match[1]!, index: Number(match[2]), size };
        }
      }
    },
    async removeLeftovers(olderThanMs) {
      let removed = 0;
      const cutoff = Date.now() - olderThanMs;
      for (const folder of await readdir(root).catch(() => [] as string[])) {
        for (const name of await readdir(join(root, folder)).catch(() => [] as string[])) {
          const path = join(root, folder, name);
          // Another process may be writing a fresh one right now.
          if (name.endsWith('.part') && ((await stat(path).catch(() => undefined))?.mtimeMs ?? Infinity) < cutoff) {
            await rm(path, { force: true });
            removed++;
          }
        }
      }
      return removed;
    },
    async close() {
      descriptors.closeAll();
    },
  };
}

/** fs.open with the callback API (lighter than a FileHandle per request); a missing file is `not_found`. */
function openForReading(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    openFile(path, 'r', (error, fd) => (error ? reject(missingAsNotFound(error)) : resolve(fd)));
  });
}

/** An open's error as the store says it: a missing file is `not_found`. */
function missingAsNotFound(error: unknown): unknown {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new StoreError('not_found', 'no such payload') : error;
}

/** `length` bytes from `position` of an open file, synchronously (smallReads 'sync'). */
function readExactlySync(fd: number, position: number, length: number): Buffer<ArrayBuffer> {
  const bytes: Buffer<ArrayBuffer> = Buffer.allocUnsafeSlow(length);
  let filled = 0;
  while (filled < length) {
    const count = readSync(fd, bytes, filled, length - filled, position + filled);
    if (count === 0) throw new StoreError('length_mismatch', `the payload has ${filled} bytes, not the recorded ${length}`);
    filled += count;
  }
  return bytes;
}

/**
 * `length` bytes from `position` in one read call (more only if the kernel returns
 * fewer), through the callback API: lighter than a FileHandle per request.
 */
async function readExactly(fd: number, position: number, length: number): Promise<Buffer<ArrayBuffer>> {
  const bytes: Buffer<ArrayBuffer> = Buffer.allocUnsafeSlow(length);
  let filled = 0;
  while (filled < length) {
    const count = await new Promise<number>((resolve, reject) => {
      readFrom(fd, bytes, filled, length - filled, position + filled, (error, read) => (error ? reject(error) : resolve(read)));
    });
    if (count === 0) throw new StoreError('length_mismatch', `the payload has ${filled} bytes, not the recorded ${length}`);
    filled += count;
  }
  return bytes;
}
