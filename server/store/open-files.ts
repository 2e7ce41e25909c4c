import { close, openSync } from 'node:fs';

/**
 * Read-only descriptors of payload files, opened in the process's own thread and kept open
 * for a few seconds after a read (as nginx's open_file_cache does). A small payload's read
 * then takes one trip to libuv's thread pool, the read itself, instead of three (open,
 * read, close), and none with a worker per core. Each trip costs the server about 25 µs
 * of CPU, a sixth of a 48 KiB answer (README, Benchmarks). A payload is fetched again
 * within seconds when a recipient reloads the message, when the service worker retries,
 * or when many recipients open one message.
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
 * const held = files.acquire(path);
 * try { read(held.fd, …) } finally { held.release(); }
 */
export interface OpenFiles {
  /**
   * An open descriptor of `path`, held until `release()`. A file not open yet is opened
   * here, synchronously: a local open costs microseconds, less than a trip to the thread
   * pool. A missing file throws fs.openSync's ENOENT and is not kept.
   */
  acquire(path: string): HeldFile;
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
  fd: number;
  users: number;
  usedAt: number;
  /** Forgotten, over the limit or idle: closed when its last reader releases it. */
  closing: boolean;
}

export function openFiles({ idleMs = 5_000, max = 64 }: OpenFilesOptions = {}): OpenFiles {
  const entries = new Map<string, Entry>();
  let sweep: NodeJS.Timeout | undefined;

  /** Takes `entry` out of the map; closes it now if nobody reads it, else when the last reader releases it. */
  const retire = (path: string, entry: Entry) => {
    if (entries.get(path) === entry) entries.delete(path);
    entry.closing = true;
    if (entry.users === 0) close(entry.fd, () => undefined);
  };
  const stopSweep = () => {
    clearInterval(sweep);
    sweep = undefined;
  };
  const closeIdle = () => {
    const cutoff = performance.now() - idleMs;
    for (const [path, entry] of entries) if (entry.users === 0 && entry.usedAt <= cutoff) retire(path, entry);
    if (entries.size === 0) stopSweep();
  };

  return {
    acquire(path) {
      let entry = entries.get(path);
      if (entry) entry.users++;
      else {
        entry = { fd: openSync(path, 'r'), users: 1, usedAt: performance.now(), closing: false };
        entries.set(path, entry);
        // The map keeps the order files were opened in: the longest-open idle ones go first.
        for (const [open, kept] of entries) {
          if (entries.size <= max) break;
          if (kept.users === 0) retire(open, kept);
        }
        if (!sweep) {
          sweep = setInterval(closeIdle, Math.max(idleMs / 2, 10));
          sweep.unref();
        }
      }
      const held = entry;
      let released = false;
      return {
        fd: held.fd,
        release() {
          if (released) return;
          released = true;
          held.users--;
          held.usedAt = performance.now();
          if (held.closing && held.users === 0) close(held.fd, () => undefined);
        },
      };
    },
    forget(path) {
      const entry = entries.get(path);
      if (entry) retire(path, entry);
    },
    closeAll() {
      for (const [path, entry] of entries) retire(path, entry);
      stopSweep();
    },
  };
}
