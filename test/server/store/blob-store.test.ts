import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkBytes } from '../../../shared/chunks.js';
import { parseBlobUrl } from '../../../server/store/blob-config.js';
import type { BlobStore } from '../../../server/store/blob-store.js';
import { StoreError, type StoreErrorCode } from '../../../server/store/errors.js';
import { createFileBlobStore, type FileBlobOptions } from '../../../server/store/file-blobs.js';
import { createS3BlobStore } from '../../../server/store/s3-blobs.js';
import { startS3Server, type TestS3Server } from '../../support/s3.js';

/**
 * The BlobStore contract (server/store/blob-store.ts), run over every back end: the data
 * folder and an S3 API server (s3rver, in this process). Each test gets its own empty store.
 */
interface Backend {
  name: string;
  /** An empty store of this back end. */
  open(): Promise<BlobStore>;
  /**
   * Whether two puts of one payload at the same moment are refused atomically by the
   * back end itself. s3rver ignores `If-None-Match: *` (AWS S3, MinIO, Ceph and R2 honour
   * it; test/server/store/s3-blobs.test.ts checks the header and the 412), so there the
   * database's one conditional count is what decides (see server/store/s3-blobs.ts).
   */
  atomicCreate: boolean;
  close(): Promise<void>;
}

let s3: TestS3Server;
let s3Stores = 0;
const dataDirs: string[] = [];
/** The data folder's store, read the way one server process or a worker per core reads it. */
const dataFolder = (name: string, options: FileBlobOptions): Backend => ({
  name,
  atomicCreate: true,
  async open() {
    const dataDir = mkdtempSync(join(tmpdir(), 'sigill-blobs-'));
    dataDirs.push(dataDir);
    return createFileBlobStore(dataDir, options);
  },
  async close() {
    for (const dataDir of dataDirs.splice(0)) rmSync(dataDir, { recursive: true, force: true });
  },
});
const backends: Backend[] = [
  dataFolder('the data folder', { smallReads: 'thread-pool' }),
  dataFolder('the data folder, small bodies read synchronously (several workers)', { smallReads: 'sync' }),
  {
    name: 's3 (s3rver)',
    atomicCreate: false,
    async open() {
      // A key prefix per test: each test sees an empty store in the file's one bucket.
      const url = s3.blobUrl.replace(`s3://${s3.bucket}`, `s3://${s3.bucket}/test-${++s3Stores}`);
      return createS3BlobStore(parseBlobUrl(url, { SIGILL_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, SIGILL_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey }), { listPageSize: 2 });
    },
    close: async () => undefined,
  },
];

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  for (const backend of backends) await backend.close();
  await s3?.close();
});

const messageId = () => randomBytes(16).toString('base64url');
const bytes = (length: number) => new Uint8Array(randomBytes(length));
/** `data` in chunks of `size` bytes, as a request body arrives. */
function* chunks(data: Uint8Array, size = 16 * 1024): Generator<Uint8Array> {
  for (let start = 0; start < data.length; start += size) yield data.slice(start, start + size);
}
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
async function storeError(promise: Promise<unknown>): Promise<StoreErrorCode> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(StoreError);
  return (error as StoreError).code;
}
const openFiles = () => readdirSync('/proc/self/fd').length;
/** Waits (a little) for the count of open files to come back to `limit`. */
async function filesSettle(limit: number): Promise<number> {
  for (let tries = 0; tries < 60 && openFiles() > limit; tries++) await sleep(50);
  return openFiles();
}

describe.each(backends)('BlobStore on $name', (backend) => {
  let blobs: BlobStore;
  beforeAll(async () => {
    blobs = await backend.open();
  });
  afterAll(async () => {
    await blobs.close();
  });

  it('gives back exactly what was put, and its size', async () => {
    const id = messageId();
    const data = bytes(300_000);
    await blobs.put(id, 0, data.length, chunks(data));
    expect(await blobs.size(id, 0)).toBe(data.length);
    expect(Buffer.from(await readAll(await blobs.get(id, 0))).equals(data)).toBe(true);
  });

  it('stores an empty payload', async () => {
    const id = messageId();
    await blobs.put(id, 0, 0, []);
    expect(await blobs.size(id, 0)).toBe(0);
    expect((await readAll(await blobs.get(id, 0))).length).toBe(0);
  });

  it('refuses a body longer than declared, and keeps nothing of it', async () => {
    const id = messageId();
    const data = bytes(100_000);
    expect(await storeError(blobs.put(id, 0, data.length - 1, chunks(data)))).toBe('payload_too_long');
    expect(await blobs.size(id, 0)).toBeUndefined();
    expect(await storeError(blobs.get(id, 0))).toBe('not_found');
  });

  it('refuses a body shorter than declared, keeps nothing, and takes the right body afterwards', async () => {
    const id = messageId();
    const data = bytes(100_000);
    expect(await storeError(blobs.put(id, 0, data.length + 1, chunks(data)))).toBe('length_mismatch');
    expect(await blobs.size(id, 0)).toBeUndefined();
    await blobs.put(id, 0, data.length, chunks(data));
    expect(Buffer.from(await readAll(await blobs.get(id, 0))).equals(data)).toBe(true);
  });

  it('refuses to replace a stored payload and keeps the first', async () => {
    const id = messageId();
    const first = bytes(5000);
    await blobs.put(id, 0, first.length, [first]);
    expect(await storeError(blobs.put(id, 0, 5000, [bytes(5000)]))).toBe('payload_exists');
    expect(Buffer.from(await readAll(await blobs.get(id, 0))).equals(first)).toBe(true);
  });

  it.runIf(backend.atomicCreate)('lets exactly one of two simultaneous puts of one payload land', async () => {
    const id = messageId();
    const results = await Promise.allSettled([blobs.put(id, 0, 100_000, chunks(bytes(100_000))), blobs.put(id, 0, 100_000, chunks(bytes(100_000)))]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as StoreError).code).toBe('payload_exists');
  });

  it('fails an aborted put with aborted, and keeps nothing', async () => {
    const id = messageId();
    const controller = new AbortController();
    async function* body() {
      yield bytes(50_000);
      controller.abort();
      await sleep(20);
      yield bytes(50_000);
    }
    expect(await storeError(blobs.put(id, 0, 100_000, body(), { signal: controller.signal }))).toBe('aborted');
    expect(await blobs.size(id, 0)).toBeUndefined();
  });

  it("passes on the body's own failure (an uploader that went away), and keeps nothing", async () => {
    const id = messageId();
    const gone = new Error('the uploader went away');
    async function* body() {
      yield bytes(50_000);
      throw gone;
    }
    await expect(blobs.put(id, 0, 100_000, body())).rejects.toBe(gone);
    expect(await blobs.size(id, 0)).toBeUndefined();
  });

  it('answers a missing payload with not_found and no size', async () => {
    expect(await storeError(blobs.get(messageId(), 0))).toBe('not_found');
    expect(await blobs.size(messageId(), 3)).toBeUndefined();
  });

  it('reads byte ranges', async () => {
    const id = messageId();
    const data = bytes(70_000);
    await blobs.put(id, 0, data.length, chunks(data));
    const range = async (start: number, end: number) => Buffer.from(await readAll(await blobs.get(id, 0, { range: { start, end } })));
    expect((await range(10, 20)).equals(data.subarray(10, 20))).toBe(true);
    expect((await range(65_000, 70_000)).equals(data.subarray(65_000))).toBe(true);
    expect((await range(69_990, 80_000)).equals(data.subarray(69_990))).toBe(true);
    expect((await range(500, 500)).length).toBe(0);
    expect((await range(70_000, 70_010)).length).toBe(0); // starts at the end
    expect(await storeError(blobs.get(messageId(), 0, { range: { start: 0, end: 10 } }))).toBe('not_found');
  });

  it('releases everything when a get is cancelled or aborted part-way', async () => {
    const id = messageId();
    const data = bytes(4 * 1024 * 1024);
    await blobs.put(id, 0, data.length, chunks(data, 256 * 1024));
    await readAll(await blobs.get(id, 0)); // warm: a pooled connection, if any, is open now
    const before = openFiles();
    for (let round = 0; round < 10; round++) {
      const reader = (await blobs.get(id, 0)).getReader();
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
      const controller = new AbortController();
      const aborted = (await blobs.get(id, 0, { signal: controller.signal })).getReader();
      expect((await aborted.read()).done).toBe(false);
      controller.abort();
      expect(await storeError(drain(aborted))).toBe('aborted');
    }
    // A leak would hold at least one more file (or socket) per get: 20 here.
    expect(await filesSettle(before + 2)).toBeLessThanOrEqual(before + 2);
  });

  it('reads a small payload whole, again and in ranges, finds one stored after a miss, and nothing once deleted', async () => {
    const id = messageId();
    const data = bytes(48 * 1024);
    expect(await storeError(blobs.read(id, 0, { size: data.length }))).toBe('not_found');
    await blobs.put(id, 0, data.length, chunks(data));
    for (let round = 0; round < 3; round++) {
      const { bytes: whole, stream } = await blobs.read(id, 0, { size: data.length });
      expect(stream).toBeUndefined();
      expect(Buffer.from(whole!).equals(data)).toBe(true);
    }
    const { bytes: part } = await blobs.read(id, 0, { size: data.length, range: { start: 100, end: 4196 } });
    expect(Buffer.from(part!).equals(data.subarray(100, 4196))).toBe(true);
    await blobs.deleteMessage(id, 1);
    // Not from a descriptor kept open for the reads before.
    expect(await storeError(blobs.read(id, 0, { size: data.length }))).toBe('not_found');
  });

  it('deletes the payloads of one message only', async () => {
    const [id, other] = [messageId(), messageId()];
    for (const index of [0, 1, 2]) await blobs.put(id, index, 10, [bytes(10)]);
    await blobs.put(other, 0, 10, [bytes(10)]);
    await blobs.deleteMessage(id, 4); // index 3 was never stored: fine
    for (const index of [0, 1, 2]) expect(await blobs.size(id, index)).toBeUndefined();
    expect(await blobs.size(other, 0)).toBe(10);
    await blobs.deleteMessage(messageId(), 2); // nothing stored at all: fine
  });

  it('keeps chunks apart from payloads: the first whole chunk wins, a short one leaves nothing, deleteMessage takes them too', async () => {
    const store = await backend.open(); // empty: list sees only this test's blobs
    const id = messageId();
    const first = bytes(40);
    await store.putChunk(id, 1, 0, 40, [first]);
    await expect(store.putChunk(id, 1, 0, 40, [bytes(40)])).rejects.toMatchObject({ code: 'payload_exists' });
    await expect(store.putChunk(id, 1, 1, 40, [bytes(39)])).rejects.toMatchObject({ code: 'length_mismatch' });
    await expect(store.getChunk(id, 1, 1)).rejects.toMatchObject({ code: 'not_found' });
    expect(Buffer.from(await new Response(await store.getChunk(id, 1, 0)).arrayBuffer()).equals(Buffer.from(first))).toBe(true);
    expect(await store.size(id, 1)).toBeUndefined();
    const listed: unknown[] = [];
    for await (const entry of store.list()) listed.push(entry);
    expect(listed).toEqual([]);
    await store.putChunk(id, 2, 0, 8, [bytes(8)]);
    await store.deleteChunks(id, 1, 2);
    await expect(store.getChunk(id, 1, 0)).rejects.toMatchObject({ code: 'not_found' });
    await store.deleteMessage(id, 3);
    await expect(store.getChunk(id, 2, 0)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('joins a payload from its chunks: their bytes in order, once, never over a stored payload, the chunks then deleted', async () => {
    const id = messageId();
    const [first, last] = [bytes(chunkBytes), bytes(70_000)];
    // Out of order, as chunks in flight arrive.
    await blobs.putChunk(id, 1, 1, last.length, chunks(last));
    await blobs.putChunk(id, 1, 0, first.length, chunks(first));
    expect(await readAll(await blobs.getChunk(id, 1, 1))).toEqual(last);
    await blobs.joinChunks(id, 1, first.length + last.length, 2);
    expect(await blobs.size(id, 1)).toBe(first.length + last.length);
    const joined = await readAll(await blobs.get(id, 1));
    expect(Buffer.from(joined).equals(Buffer.concat([first, last]))).toBe(true);
    await blobs.deleteChunks(id, 1, 2);
    await expect(blobs.getChunk(id, 1, 0)).rejects.toMatchObject({ code: 'not_found' });
    expect(Buffer.from(await readAll(await blobs.get(id, 1))).equals(Buffer.concat([first, last]))).toBe(true);
    // A stored payload is never replaced by a join.
    const other = messageId();
    await blobs.put(other, 0, 10, [bytes(10)]);
    await blobs.putChunk(other, 0, 0, 10, [bytes(10)]);
    expect(await storeError(blobs.joinChunks(other, 0, 10, 1))).toBe('payload_exists');
    await blobs.deleteMessage(other, 1);
  });

  it.runIf(backend.atomicCreate)('of two simultaneous puts of one chunk only one writes: the other finds it held, and the chunk is the winner’s bytes', async () => {
    const id = messageId();
    const bodies = [bytes(300_000), bytes(300_000)];
    const results = await Promise.allSettled(bodies.map((body) => blobs.putChunk(id, 1, 2, body.length, chunks(body))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: 'payload_exists' });
    const winner = bodies[results.findIndex((result) => result.status === 'fulfilled')]!;
    expect(Buffer.from(await readAll(await blobs.getChunk(id, 1, 2))).equals(Buffer.from(winner))).toBe(true);
    // A put that failed half-way leaves its chunk not held, and the next one writes it.
    await expect(blobs.putChunk(id, 1, 3, 300_000, chunks(bytes(200_000)))).rejects.toMatchObject({ code: 'length_mismatch' });
    await expect(blobs.getChunk(id, 1, 3)).rejects.toMatchObject({ code: 'not_found' });
    const third = bytes(300_000);
    await blobs.putChunk(id, 1, 3, third.length, chunks(third));
    expect(Buffer.from(await readAll(await blobs.getChunk(id, 1, 3))).equals(Buffer.from(third))).toBe(true);
    await blobs.deleteMessage(id, 2);
  });

  it('lists every stored payload with its size, and no longer the deleted ones', async () => {
    const store = await backend.open(); // empty: list sees only this test's blobs
    const [first, second] = [messageId(), messageId()];
    await store.put(first, 0, 3, [bytes(3)]);
    await store.put(first, 1, 5, [bytes(5)]);
    await store.put(second, 0, 7, [bytes(7)]);
    const listed = async () => {
      const entries = [];
      for await (const entry of store.list()) entries.push(entry);
      return entries.sort((a, b) => `${a.messageId}${a.index}`.localeCompare(`${b.messageId}${b.index}`));
    };
    const expected = [
      { messageId: first, index: 0, size: 3 },
      { messageId: first, index: 1, size: 5 },
      { messageId: second, index: 0, size: 7 },
    ].sort((a, b) => `${a.messageId}${a.index}`.localeCompare(`${b.messageId}${b.index}`));
    expect(await listed()).toEqual(expected);
    await store.deleteMessage(first, 2);
    expect(await listed()).toEqual([{ messageId: second, index: 0, size: 7 }]);
    await store.close();
  });
});

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (;;) if ((await reader.read()).done) return;
}

describe('the data folder’s chunk locks', () => {
  it('takes over the lock of a writer that died (untouched for 15 s), and waits for a live one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sigill-blobs-'));
    dataDirs.push(dataDir);
    const blobs = createFileBlobStore(dataDir);
    const id = messageId();
    const folder = join(dataDir, 'blobs', id.slice(0, 2), `${id}.chunks`);
    mkdirSync(folder, { recursive: true });
    // A process killed while it wrote chunk 0 left its lock behind, last touched 20 s ago.
    writeFileSync(join(folder, '1.0.lock.0'), '');
    const past = new Date(Date.now() - 20_000);
    utimesSync(join(folder, '1.0.lock.0'), past, past);
    const body = bytes(1000);
    await blobs.putChunk(id, 1, 0, body.length, [body]);
    expect(await readAll(await blobs.getChunk(id, 1, 0))).toEqual(body);
    // A live writer's lock (just touched): the second put waits for it.
    writeFileSync(join(folder, '1.1.lock.0'), '');
    let done = false;
    const waiting = blobs.putChunk(id, 1, 1, 1000, [bytes(1000)]).then(() => (done = true));
    await sleep(300);
    expect(done).toBe(false);
    utimesSync(join(folder, '1.1.lock.0'), new Date(0), new Date(0)); // given back
    await waiting;
    expect(done).toBe(true);
  });
});
