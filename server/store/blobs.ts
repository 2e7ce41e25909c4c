import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../errors.js';

/**
 * Payload ciphertext, one file per payload in a folder beside the database (measured
 * faster than rows: PERFORMANCE.md), as `blobs/<first two characters>/<messageId>.<index>`.
 * A payload is written to a `.part` file, flushed to disk, and linked into place (which
 * fails if the payload exists), so a killed upload never leaves a partial payload under
 * its real name and a payload is never replaced. Files hold
 * ciphertext only.
 */
export interface BlobStore {
  /** Streams `body` into the payload file; refuses anything but exactly `length` bytes. */
  write(messageId: string, index: number, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
  read(messageId: string, index: number): ReadableStream<Uint8Array>;
  size(messageId: string, index: number): Promise<number | undefined>;
  /** Deletes the payloads 0…count-1 of a message at once. */
  remove(messageId: string, count: number): Promise<void>;
  /** Removes `.part` files older than `olderThanMs`, left by uploads that died. */
  removeLeftovers(olderThanMs: number): Promise<number>;
}

export function createBlobStore(dataDir: string): BlobStore {
  const root = join(dataDir, 'blobs');
  const made = new Set<string>();
  // Message ids are base64url (no '/' or '.'), checked at the API edge.
  const shard = (messageId: string) => join(root, messageId.slice(0, 2));
  const file = (messageId: string, index: number) => join(shard(messageId), `${messageId}.${index}`);

  return {
    async write(messageId, index, length, body) {
      const folder = shard(messageId);
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true });
        made.add(folder);
      }
      const target = file(messageId, index);
      // Unique per upload: two uploads of one payload at the same moment must not share it.
      const partial = `${target}.${randomUUID()}.part`;
      const handle = await open(partial, 'wx');
      let written = 0;
      // Chunks are gathered up to 256 KiB and written with one writev: fewer trips to the thread pool.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      try {
        for await (const chunk of body) {
          written += chunk.length;
          if (written > length) {
            throw new AppError(413, 'payload_too_large', `the payload is longer than its declared ${length} bytes`);
          }
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= 256 * 1024) {
            await handle.writev(pending);
            pending = [];
            pendingBytes = 0;
          }
        }
        if (pending.length > 0) await handle.writev(pending);
        if (written !== length) {
          throw new AppError(400, 'payload_length_mismatch', `the payload has ${written} bytes, not the declared ${length}`);
        }
        await handle.sync();
        await handle.close();
        // link(2) refuses an existing name: two uploads of one payload cannot both land.
        await link(partial, target).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST' ? new AppError(409, 'payload_exists', 'this payload is already uploaded') : error;
        });
        await unlink(partial); // the payload keeps its other name
      } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(partial, { force: true });
        throw error;
      }
    },
    read(messageId, index) {
      return Readable.toWeb(createReadStream(file(messageId, index), { highWaterMark: 256 * 1024 })) as ReadableStream<Uint8Array>;
    },
    async size(messageId, index) {
      // Synchronous, like every database read beside it: one local stat costs microseconds,
      // less than the trip to the thread pool, and a missing file (the usual answer before
      // an upload) then costs no error object.
      return statSync(file(messageId, index), { throwIfNoEntry: false })?.size;
    },
    async remove(messageId, count) {
      await Promise.all(Array.from({ length: count }, (_, index) => rm(file(messageId, index), { force: true })));
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
  };
}
