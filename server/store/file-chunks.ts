import { link, mkdir, open, readdir, readFile, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chunkBytes } from '../../shared/chunks.js';
import type { BlobGetOptions, BlobPutOptions } from './blob-store.js';
import { StoreError } from './errors.js';

/**
 * The data folder's chunked uploads: every chunk is written in place, at its offset
 * (`chunk × chunkBytes`, shared/chunks.ts), into the payload's one part file, and
 * flushed before it counts as held; the payload is then that file, linked under its
 * blob name, with no copy. Each byte is written and flushed once.
 *
 * In `<messageId>.chunks/` beside the payloads:
 * - `<index>.part`: the payload as its chunks arrive (holes where none is yet). Its
 *   maker flushes the folders that name it before writing, so a chunk in it that is
 *   flushed stays findable after a crash.
 * - `<index>.<chunk>.lock.<generation>`: the chunk's writer lock, so two PUTs of one
 *   chunk (in one process or several) never both write. Made with O_EXCL; the highest
 *   generation is the lock. Its holder touches it every `renewMs`. Once the chunk's
 *   bytes are flushed, the holder writes the chunk's length into it: a lock with
 *   content marks the chunk held, and is never taken again. A failed holder gives it
 *   back (time 0); one untouched for `staleMs` (its process died) may be taken too,
 *   by making the next generation, which only one taker can. Lock files stay until the
 *   payload's chunks are deleted, so a generation is never made twice.
 * A second PUT of a chunk waits while another holds its lock, then finds it held (or,
 * if the first failed, writes it). A crash leaves the part file and the held chunks for
 * the resume (the database's held list is the truth); the folder goes with the payload's
 * join (`deleteChunks`) or its message (`deleteMessage`, the purge of abandoned uploads).
 */
const renewMs = 2_000;
const staleMs = 15_000;
/** How long a second PUT of one chunk waits for the first before it gives up. */
const waitMs = 5 * 60_000;
const pollMs = 50;

type ReadStream = (path: string, options: BlobGetOptions) => Promise<ReadableStream<Uint8Array>>;

export function fileChunks(folderOf: (messageId: string) => string, readStream: ReadStream) {
  const partPath = (messageId: string, index: number) => join(folderOf(messageId), `${index}.part`);
  const lockBase = (messageId: string, index: number, chunk: number) => join(folderOf(messageId), `${index}.${chunk}.lock.`);

  return {
    /** Writes chunk `chunk` (exactly `length` bytes) at its offset, flushes it and marks it held; `payload_exists` when it is held. */
    async put(messageId: string, index: number, chunk: number, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: BlobPutOptions): Promise<void> {
      if (!Number.isSafeInteger(length) || length < 0 || length > chunkBytes) throw new RangeError(`a chunk is 0 … ${chunkBytes} bytes`);
      const folder = folderOf(messageId);
      const base = lockBase(messageId, index, chunk);
      // The folder is made by the payload's first chunk (a mkdir per chunk costs more than this retry).
      const lock = await acquire(base, options.signal).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(folder, { recursive: true });
        return acquire(base, options.signal);
      });
      let held = false;
      try {
        const part = await openPart(partPath(messageId, index));
        try {
          await writeAt(part, chunk * chunkBytes, length, body, options);
          await part.datasync();
        } finally {
          await part.close();
        }
        await lock.handle.write(String(length));
        held = true;
      } finally {
        await lock.release(held);
      }
    },

    /** A held chunk's bytes, from the part file; `not_found` when it is not held. */
    async get(messageId: string, index: number, chunk: number, options: BlobGetOptions): Promise<ReadableStream<Uint8Array>> {
      const newest = await newestLock(lockBase(messageId, index, chunk));
      const recorded = newest && newest.size > 0 ? Number(await readFile(newest.path, 'utf8')) : undefined;
      if (recorded === undefined) throw new StoreError('not_found', 'no such chunk');
      const start = chunk * chunkBytes;
      const range = options.range ?? { start: 0, end: recorded };
      return readStream(partPath(messageId, index), { ...options, range: { start: start + range.start, end: start + Math.min(range.end, recorded) } });
    },

    /** Links the part file, every chunk in it, under `target` (never replacing a payload), and makes the name durable. */
    async join(messageId: string, index: number, length: number, target: string): Promise<void> {
      const part = partPath(messageId, index);
      const size = (await stat(part).catch(() => undefined))?.size;
      if (size === undefined) throw new StoreError('not_found', 'the payload’s chunks are not stored');
      if (size !== length) throw new StoreError('length_mismatch', `the payload’s chunks hold ${size} bytes, not the declared ${length}`);
      await link(part, target).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EEXIST' ? new StoreError('payload_exists', 'this payload is already stored') : error;
      });
      await syncFolder(dirname(target));
      await unlink(part);
    },

    /** Removes payload `index`'s part file and locks; the folder goes with the last payload's. */
    async delete(messageId: string, index: number): Promise<void> {
      const folder = folderOf(messageId);
      const names = await readdir(folder).catch(() => [] as string[]);
      await Promise.all(names.filter((name) => name.startsWith(`${index}.`)).map((name) => rm(join(folder, name), { force: true })));
      await rmdir(folder).catch(() => undefined);
    },
  };
}

/** The highest generation of a chunk's lock: its path, size (more than 0: held) and time; undefined when there is none. */
async function newestLock(base: string): Promise<{ path: string; generation: number; size: number; mtimeMs: number } | undefined> {
  let newest: { path: string; generation: number; size: number; mtimeMs: number } | undefined;
  for (let generation = 0; ; generation++) {
    const path = `${base}${generation}`;
    const found = await stat(path).catch(() => undefined);
    if (!found) return newest;
    newest = { path, generation, size: found.size, mtimeMs: found.mtimeMs };
  }
}

interface ChunkLock {
  handle: FileHandle;
  /** Closes the lock; one whose chunk was not stored is given back (time 0) for the next writer. */
  release(held: boolean): Promise<void>;
}

/** Takes the chunk's writer lock (see above), waiting while a live holder has it; `payload_exists` when the chunk is held. */
async function acquire(base: string, signal: AbortSignal | undefined): Promise<ChunkLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (signal?.aborted) throw new StoreError('aborted', 'the upload was cancelled');
    const newest = await newestLock(base);
    if (newest && newest.size > 0) throw new StoreError('payload_exists', 'this chunk is already stored');
    if (newest === undefined || Date.now() - newest.mtimeMs >= staleMs) {
      const generation = newest === undefined ? 0 : newest.generation + 1;
      const handle = await open(`${base}${generation}`, 'wx').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return undefined; // another taker made this generation first
        throw error;
      });
      if (handle) return locked(handle);
    } else if (Date.now() > deadline) {
      throw new StoreError('conflict', 'another upload of this chunk is still running');
    } else {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

function locked(handle: FileHandle): ChunkLock {
  const renew = setInterval(() => {
    const now = new Date();
    handle.utimes(now, now).catch(() => undefined);
  }, renewMs);
  renew.unref();
  return {
    handle,
    async release(held) {
      clearInterval(renew);
      // Time 0: given back, the next writer may take it at once.
      if (!held) await handle.utimes(0, 0).catch(() => undefined);
      await handle.close().catch(() => undefined);
    },
  };
}

/** The part file; its maker (the payload's first chunk) flushes the folders that name it. Never truncated. */
async function openPart(path: string): Promise<FileHandle> {
  const existing = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing) return existing;
  const made = await open(path, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return undefined; // another chunk made it a moment ago
    throw error;
  });
  if (!made) return open(path, 'r+');
  try {
    await syncFolder(dirname(path));
    await syncFolder(dirname(dirname(path)));
  } catch (error) {
    await made.close();
    throw error;
  }
  return made;
}

/** Writes exactly `length` bytes of `body` from `position`, gathered into writes of 256 KiB; nothing past `length`. */
async function writeAt(handle: FileHandle, position: number, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: BlobPutOptions): Promise<void> {
  let written = 0;
  let flushed = 0;
  let pending: Uint8Array[] = [];
  const flush = async () => {
    const bytes = pending;
    pending = [];
    const { bytesWritten } = await handle.writev(bytes, position + flushed);
    if (bytesWritten !== written - flushed) throw new StoreError('unavailable', 'the disk took only part of a chunk (is it full?)');
    flushed = written;
  };
  for await (const piece of body) {
    if (options.signal?.aborted) throw new StoreError('aborted', 'the upload was cancelled');
    written += piece.length;
    if (written > length) throw new StoreError('payload_too_long', `the chunk is longer than its ${length} bytes`);
    pending.push(piece);
    if (written - flushed >= 256 * 1024) await flush();
  }
  if (pending.length > 0) await flush();
  if (written !== length) throw new StoreError('length_mismatch', `the chunk has ${written} bytes, not ${length}`);
}

/** Flushes a folder's entries (a new name in it) to disk. */
export async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
