import { link, mkdir, open, readdir, readFile, rm, rmdir, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
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
 * - `<index>.part`: the payload as its chunks arrive (holes where none is yet);
 * - `<index>.<chunk>.held`: written once the chunk's bytes are flushed (it holds the
 *   chunk's length), so the chunk is whole and never written again;
 * - `<index>.<chunk>.lock.<generation>`: the chunk's writer lock, so two PUTs of one
 *   chunk (in one process or several) never both write. Made with O_EXCL; the highest
 *   generation is the lock. Its holder touches it every `renewMs` and, when done, sets
 *   its time to 0; one untouched for `staleMs` (its process died) or given back may be
 *   taken by making the next generation, which only one taker can. Lock files stay
 *   until the payload's chunks are deleted, so a generation is never made twice.
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
  const heldPath = (messageId: string, index: number, chunk: number) => join(folderOf(messageId), `${index}.${chunk}.held`);

  return {
    /** Writes chunk `chunk` (exactly `length` bytes) at its offset, flushes it and marks it held; `payload_exists` when it is held. */
    async put(messageId: string, index: number, chunk: number, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: BlobPutOptions): Promise<void> {
      if (!Number.isSafeInteger(length) || length < 0 || length > chunkBytes) throw new RangeError(`a chunk is 0 … ${chunkBytes} bytes`);
      const folder = folderOf(messageId);
      const base = join(folder, `${index}.${chunk}`);
      // The folder is made by the payload's first chunk (a mkdir per chunk costs more than this retry).
      const lock = await acquire(base, options.signal).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(folder, { recursive: true });
        return acquire(base, options.signal);
      });
      try {
        const held = heldPath(messageId, index, chunk);
        if ((await stat(held).catch(() => undefined)) !== undefined) throw new StoreError('payload_exists', 'this chunk is already stored');
        const part = await openPart(partPath(messageId, index));
        try {
          await writeAt(part, chunk * chunkBytes, length, body, options);
          await part.datasync();
        } finally {
          await part.close();
        }
        // The part file's name (and its folder's) must last as long as the held chunk in it.
        await syncFolder(folder);
        await syncFolder(dirname(folder));
        await writeFile(held, String(length), { flag: 'wx' });
      } finally {
        await lock.release();
      }
    },

    /** A held chunk's bytes, from the part file; `not_found` when it is not held. */
    async get(messageId: string, index: number, chunk: number, options: BlobGetOptions): Promise<ReadableStream<Uint8Array>> {
      const recorded = await readFile(heldPath(messageId, index, chunk), 'utf8').catch(() => undefined);
      if (recorded === undefined) throw new StoreError('not_found', 'no such chunk');
      const start = chunk * chunkBytes;
      const range = options.range ?? { start: 0, end: Number(recorded) };
      return readStream(partPath(messageId, index), { ...options, range: { start: start + range.start, end: start + Math.min(range.end, Number(recorded)) } });
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

    /** Removes payload `index`'s part file, held marks and locks; the folder goes with the last payload's. */
    async delete(messageId: string, index: number): Promise<void> {
      const folder = folderOf(messageId);
      const names = await readdir(folder).catch(() => [] as string[]);
      await Promise.all(names.filter((name) => name.startsWith(`${index}.`)).map((name) => rm(join(folder, name), { force: true })));
      await rmdir(folder).catch(() => undefined);
    },
  };
}

/** Takes the writer lock `<base>.lock.<generation>` (see above), waiting while a live holder has it. */
async function acquire(base: string, signal: AbortSignal | undefined): Promise<{ release(): Promise<void> }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (signal?.aborted) throw new StoreError('aborted', 'the upload was cancelled');
    let generation = 0;
    let newest: number | undefined;
    for (; ; generation++) {
      const found = await stat(`${base}.lock.${generation}`).catch(() => undefined);
      if (!found) break;
      newest = found.mtimeMs;
    }
    if (newest === undefined || Date.now() - newest >= staleMs) {
      const handle = await open(`${base}.lock.${generation}`, 'wx').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return undefined; // another taker made this generation first
        throw error;
      });
      if (handle) return held(handle);
    } else if (Date.now() > deadline) {
      throw new StoreError('conflict', 'another upload of this chunk is still running');
    } else {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

function held(handle: FileHandle): { release(): Promise<void> } {
  const renew = setInterval(() => {
    const now = new Date();
    handle.utimes(now, now).catch(() => undefined);
  }, renewMs);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      // Time 0: given back, the next writer may take it at once.
      await handle.utimes(0, 0).catch(() => undefined);
      await handle.close().catch(() => undefined);
    },
  };
}

/** The part file, made if it is the payload's first chunk; never truncated. */
async function openPart(path: string): Promise<FileHandle> {
  return open(path, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return open(path, 'r+');
    throw error;
  });
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
