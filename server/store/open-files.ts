import { close, open, openSync } from 'node:fs';

/**
 * Read-only descriptors of payload files, kept open for a few seconds after a read (as
 * nginx's open_file_cache does), so that reading a small payload again costs one trip to
 * libuv's thread pool, the read, instead of three (open, read, close). Each trip costs the
 * server about 25 µs of CPU, which is a third of a 48 KiB answer (README, Benchmarks).
 * A payload is fetched again within seconds when a recipient reloads the message, when
 * the service worker retries, or when many recipients open one message.
 *
 * This is safe because a stored payload never changes: it is linked into place once and
 * never replaced (file-blobs.ts). A deleted file stays readable through an open
 * descriptor, but a read only happens after the database has said the message may be
 * read. What is kept is bounded:
 * - at most `max` files are open;
 * - a file unused for `idleMs` is closed;
 * - `forget` closes a deleted payload at once in this process (other workers' copies
 *   close when they are idle, and the disk space is released then);
 * - a missing file is never kept, so a payload is found as soon as it is stored.
 *
 * @example
 * const files = openFiles();
 * const held = await files.acquire(path);
 * try { read(held.fd, …) } finally { held.release(); }
 */
export interface OpenFiles {
  /** An open descriptor of `path`, held until `release()`. A missing file rejects with fs.open's ENOENT. */
  acquire(path: string): Promise<HeldFile>;
  /** The same, synchronously (a worker per core: smallReads 'sync'). */
  acquireSync(path: string): HeldFile;
  /** `path` was deleted: its descriptor is closed now, or when its last reader releases it. */
  forget(path: string): void;
  /** Closes every descriptor (at once, or when its reader releases it) and stops the idle sweep. */
  closeAll(): void;
}

export interface HeldFile {
  fd: number;
  /** Call once, when the read is done (or failed). */
  release(): void;
}

export interface OpenFilesOptions {
  /** A file unused this long is closed (default 5 s). */
  idleMs?: number;
  /** At most this many files are kept open (default 64); beyond it the longest-open idle ones close. */
  max?: number;
}

interface Entry {
  fd: number | undefined;
  /** While the first open is on the thread pool: the readers that came meanwhile wait for it. */
  opening: Promise<number> | undefined;
  users: number;
  usedAt: number;
  /** Forgotten or over the limit: closed when its last reader releases it. */
  closing: boolean;
}

export function openFiles({ idleMs = 5_000, max = 64 }: OpenFilesOptions = {}): OpenFiles {
  const entries = new Map<string, Entry>();
  let sweep: NodeJS.Timeout | undefined;

  const closeNow = (entry: Entry) => {
    if (entry.fd !== undefined) close(entry.fd, () => undefined);
    entry.fd = undefined;
  };
  /** Takes `entry` out of the map; closes it now if nobody reads it, else when the last reader releases it. */
  const retire = (path: string, entry: Entry) => {
    if (entries.get(path) === entry) entries.delete(path);
    entry.closing = true;
    if (entry.users === 0 && entry.opening === undefined) closeNow(entry);
  };
  const closeIdle = () => {
    const cutoff = performance.now() - idleMs;
    for (const [path, entry] of entries) if (entry.users === 0 && entry.usedAt <= cutoff) retire(path, entry);
    if (entries.size === 0) {
      clearInterval(sweep);
      sweep = undefined;
    }
  };
  const keepWithinLimit = () => {
    // The map keeps the order files were opened in: the longest open idle ones go first.
    for (const [path, entry] of entries) {
      if (entries.size <= max) return;
      if (entry.users === 0 && entry.opening === undefined) retire(path, entry);
    }
  };
  const added = (path: string, entry: Entry) => {
    entries.set(path, entry);
    keepWithinLimit();
    if (!sweep) {
      sweep = setInterval(closeIdle, Math.max(idleMs / 2, 10));
      sweep.unref();
    }
  };
  const held = (entry: Entry, fd: number): HeldFile => {
    let released = false;
    return {
      fd,
      release() {
        if (released) return;
        released = true;
        entry.users--;
        entry.usedAt = performance.now();
        if (entry.closing && entry.users === 0) closeNow(entry);
      },
    };
  };

  return {
    async acquire(path) {
      let entry = entries.get(path);
      if (!entry) {
        const created: Entry = { fd: undefined, opening: undefined, users: 0, usedAt: performance.now(), closing: false };
        created.opening = new Promise<number>((resolve, reject) => {
          open(path, 'r', (error, fd) => {
            created.opening = undefined;
            if (error) {
              if (entries.get(path) === created) entries.delete(path);
              reject(error);
            } else {
              created.fd = fd;
              resolve(fd);
            }
          });
        });
        entry = created;
        added(path, entry);
      }
      entry.users++;
      try {
        return held(entry, entry.fd ?? (await entry.opening!));
      } catch (error) {
        entry.users--;
        throw error;
      }
    },
    acquireSync(path) {
      let entry = entries.get(path);
      if (entry?.fd === undefined) {
        // Not open yet (or, with the async API beside, still opening): open it here.
        entry = { fd: openSync(path, 'r'), opening: undefined, users: 0, usedAt: performance.now(), closing: false };
        const previous = entries.get(path);
        if (previous) retire(path, previous);
        added(path, entry);
      }
      entry.users++;
      return held(entry, entry.fd!);
    },
    forget(path) {
      const entry = entries.get(path);
      if (entry) retire(path, entry);
    },
    closeAll() {
      for (const [path, entry] of entries) retire(path, entry);
      clearInterval(sweep);
      sweep = undefined;
    },
  };
}
