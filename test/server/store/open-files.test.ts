/**
 * The descriptors kept open between reads of a small payload (server/store/open-files.ts):
 * reused while a file is read again, never kept for a missing file, and closed when idle,
 * when deleted (forget), beyond the limit, and on closeAll. The process's own descriptors
 * (/proc/self/fd) are what is counted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openFiles } from '../../../server/store/open-files.js';

const folder = mkdtempSync(join(tmpdir(), 'sigill-open-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
/** A new file of `length` random bytes; its path and bytes. */
function fileOf(length = 1000): { path: string; data: Buffer } {
  const path = join(folder, `payload-${++files}`);
  const data = randomBytes(length);
  writeFileSync(path, data);
  return { path, data };
}

/** How many of this process's descriptors are open on `path` (or on any file in the folder). */
function openOn(path: string = folder): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path);
    } catch {
      return false; // closed while listing
    }
  }).length;
}

async function settles(path: string, count: number): Promise<number> {
  for (let tries = 0; tries < 100 && openOn(path) !== count; tries++) await sleep(10);
  return openOn(path);
}

const firstBytes = (fd: number, length: number) => {
  const bytes = Buffer.alloc(length);
  readSync(fd, bytes, 0, length, 0);
  return bytes;
};

describe('open payload files', () => {
  it('reads a file again through the descriptor it opened, and shares one between readers at the same time', async () => {
    const descriptors = openFiles({ idleMs: 60_000 });
    const { path, data } = fileOf();
    const together = [descriptors.acquire(path), descriptors.acquire(path), descriptors.acquire(path)];
    expect(new Set(together.map((held) => held.fd)).size).toBe(1);
    expect(openOn(path)).toBe(1);
    for (const held of together) held.release();
    const again = descriptors.acquire(path);
    expect(again.fd).toBe(together[0]!.fd);
    expect(firstBytes(again.fd, 100).equals(data.subarray(0, 100))).toBe(true);
    again.release();
    expect(openOn(path)).toBe(1);
    descriptors.closeAll();
    expect(await settles(path, 0)).toBe(0);
  });

  it('keeps nothing for a missing file: it is found once it exists', () => {
    const descriptors = openFiles({ idleMs: 60_000 });
    const path = join(folder, 'not-yet');
    expect(() => descriptors.acquire(path)).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
    writeFileSync(path, 'stored now');
    const held = descriptors.acquire(path);
    expect(firstBytes(held.fd, 10).toString()).toBe('stored now');
    held.release();
    descriptors.closeAll();
  });

  it('closes a file unused for the idle time, and never one that is being read', async () => {
    const descriptors = openFiles({ idleMs: 50 });
    const { path: idle } = fileOf();
    const { path: busy, data } = fileOf();
    descriptors.acquire(idle).release();
    const reading = descriptors.acquire(busy);
    await sleep(300);
    expect(openOn(idle)).toBe(0);
    expect(openOn(busy)).toBe(1);
    expect(firstBytes(reading.fd, 50).equals(data.subarray(0, 50))).toBe(true);
    reading.release();
    reading.release(); // twice is once
    expect(await settles(busy, 0)).toBe(0);
    descriptors.closeAll();
  });

  it('closes a deleted file at once, or when its last reader is done, and opens it anew afterwards', async () => {
    const descriptors = openFiles({ idleMs: 60_000 });
    const { path } = fileOf();
    descriptors.acquire(path).release();
    expect(openOn(path)).toBe(1);
    descriptors.forget(path);
    expect(await settles(path, 0)).toBe(0);

    const first = descriptors.acquire(path);
    const second = descriptors.acquire(path);
    descriptors.forget(path);
    first.release();
    expect(openOn(path)).toBe(1); // the second reader still reads it
    rmSync(path);
    expect(() => descriptors.acquire(path)).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error); // not the old descriptor
    second.release();
    expect(await settles(path, 0)).toBe(0);
    descriptors.closeAll();
  });

  it('keeps at most the limit open, closing the longest-open idle files first', async () => {
    const descriptors = openFiles({ idleMs: 60_000, max: 4 });
    const paths = Array.from({ length: 12 }, () => fileOf().path);
    const held = descriptors.acquire(paths[0]!); // read the whole time: stays open
    for (const path of paths.slice(1)) descriptors.acquire(path).release();
    expect(await settles(folder, 4)).toBe(4);
    expect(openOn(paths[0]!)).toBe(1);
    expect(openOn(paths.at(-1)!)).toBe(1);
    held.release();
    descriptors.closeAll();
    expect(await settles(folder, 0)).toBe(0);
  });

  it('closes everything on closeAll, a file being read once it is released', async () => {
    const descriptors = openFiles({ idleMs: 60_000 });
    const { path: idle } = fileOf();
    const { path: busy } = fileOf();
    descriptors.acquire(idle).release();
    const reading = descriptors.acquire(busy);
    descriptors.closeAll();
    expect(await settles(idle, 0)).toBe(0);
    expect(openOn(busy)).toBe(1);
    reading.release();
    expect(await settles(busy, 0)).toBe(0);
  });
});
