import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlobUrl } from '../../../server/store/blob-config.js';
import { StoreError } from '../../../server/store/errors.js';
import { createS3BlobStore } from '../../../server/store/s3-blobs.js';
import { startS3Server, type TestS3Server } from '../../support/s3.js';

/** What only the S3 back end must show; the BlobStore contract itself is blob-store.test.ts. */
let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.close();
});

const credentials = () => ({ SIGILL_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, SIGILL_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey });
const store = (url = s3.blobUrl, env: Record<string, string> = credentials()) => createS3BlobStore(parseBlobUrl(url, env));
const messageId = () => randomBytes(16).toString('base64url');

/** Sizes of the object files s3rver holds right now (it writes a PUT's bytes as they arrive). */
function storedObjectSizes(folder = s3.directory): number[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return storedObjectSizes(path);
    return entry.name.endsWith('._S3rver_object') ? [statSync(path).size] : [];
  });
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('the S3 back end', () => {
  it('streams an upload while the body is still arriving, and shows none of it before the end', async () => {
    const blobs = store(`s3://${s3.bucket}/streaming?endpoint=${s3.endpoint}&region=${s3.region}`);
    const chunk = new Uint8Array(randomBytes(256 * 1024));
    const id = messageId();
    let sentBeforeEnd = 0;
    let seenMidway: { size: number | undefined; get: string } | undefined;
    async function* body() {
      for (let n = 0; n < 8; n++) yield chunk;
      // Only a streamed upload has reached the server before the body ends.
      for (let tries = 0; tries < 100 && sentBeforeEnd === 0; tries++) {
        sentBeforeEnd = Math.max(0, ...storedObjectSizes());
        if (sentBeforeEnd === 0) await sleep(20);
      }
      // s3rver already holds these bytes under the key; the blob store must not show them.
      seenMidway = { size: await blobs.size(id, 0), get: (await failure(blobs.get(id, 0))).code };
      yield chunk;
    }
    await blobs.put(id, 0, 9 * chunk.length, body());
    expect(sentBeforeEnd).toBeGreaterThan(0);
    expect(seenMidway).toEqual({ size: undefined, get: 'not_found' });
    expect(await blobs.size(id, 0)).toBe(9 * chunk.length);
  });

  it('counts an object without its declared length (a half-written one) as no blob, and stores over it', async () => {
    const blobs = store();
    const id = messageId();
    const client = new AwsClient({ ...s3.credentials, service: 's3', region: s3.region });
    const raw = await client.fetch(`${s3.endpoint}/${s3.bucket}/payloads/${id}/0`, { method: 'PUT', body: 'half' });
    expect(raw.status).toBe(200);
    expect(await blobs.size(id, 0)).toBeUndefined();
    expect((await failure(blobs.get(id, 0))).code).toBe('not_found');
    await blobs.put(id, 0, 4, [new TextEncoder().encode('full')]);
    expect(await new Response(await blobs.get(id, 0)).text()).toBe('full');
  });

  it('answers refused credentials and an unreachable store with unavailable, never an HTTP error', async () => {
    const stranger = store(s3.blobUrl, { SIGILL_S3_ACCESS_KEY_ID: 'STRANGER', SIGILL_S3_SECRET_ACCESS_KEY: 'secret-value' });
    const refused = await failure(stranger.size(messageId(), 0));
    expect(refused.code).toBe('unavailable');
    expect(refused.message).toMatch(/403.*credentials/);
    expect(refused.message).not.toContain('secret-value');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const gone = store(`s3://${s3.bucket}?endpoint=http://127.0.0.1:${port}`);
    expect((await failure(gone.put(messageId(), 0, 3, [new Uint8Array(3)]))).code).toBe('unavailable');
    expect((await failure(gone.get(messageId(), 0))).code).toBe('unavailable');
  });
});

describe('the S3 back end against a store that honours conditional writes', () => {
  // s3rver ignores If-None-Match; AWS S3, MinIO, Ceph and R2 answer 412 when the key
  // exists, which is what makes two racing uploads of one payload end with one winner.
  // This server answers like them and records what it was sent.
  let server: Server;
  const puts: IncomingMessage['headers'][] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.method === 'HEAD') return response.writeHead(404).end();
      puts.push(request.headers);
      request.resume();
      // Under /old/ it answers like a store that knows no conditional writes.
      const refusal = request.url!.includes('/old/') ? 501 : 412;
      request.on('end', () => response.writeHead(request.headers['if-none-match'] === '*' ? refusal : 200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('puts with If-None-Match: * and its Content-Length, and takes a 412 as payload_exists', async () => {
    const { port } = server.address() as AddressInfo;
    const blobs = store(`s3://racing?endpoint=http://127.0.0.1:${port}`);
    expect((await failure(blobs.put(messageId(), 0, 5, [new Uint8Array(5)]))).code).toBe('payload_exists');
    expect(puts).toHaveLength(1);
    expect(puts[0]!['if-none-match']).toBe('*');
    expect(puts[0]!['content-length']).toBe('5');
    expect(puts[0]!['transfer-encoding']).toBeUndefined();
    expect(puts[0]!['x-amz-meta-sigill-length']).toBe('5');
    expect(puts[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=S3RVER\//);
  });

  it('says so when a store cannot do conditional writes (501)', async () => {
    const { port } = server.address() as AddressInfo;
    const refused = await failure(store(`s3://racing/old?endpoint=http://127.0.0.1:${port}`).put(messageId(), 0, 5, [new Uint8Array(5)]));
    expect(refused.code).toBe('unavailable');
    expect(refused.message).toMatch(/does not support conditional writes/);
  });
});

describe('the S3 back end against a slow store', () => {
  // Answers after `delay` ms; a GET's body then comes in ten pieces, `delay` ms apart.
  let server: Server;
  const delay = 150;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      const silent = request.url!.includes('/silent/');
      if (silent) return; // never answers
      setTimeout(() => {
        if (request.method === 'HEAD') return response.writeHead(404).end();
        response.writeHead(200, { 'content-length': '10', 'x-amz-meta-sigill-length': '10' });
        let sent = 0;
        const timer = setInterval(() => {
          response.write('x');
          if (++sent === 10) {
            clearInterval(timer);
            response.end();
          }
        }, delay);
        response.on('close', () => clearInterval(timer));
      }, delay);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it('lets a GET stream for longer than the answer timeout, and gives up on a store that never answers', async () => {
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    const timeout = 4 * delay; // shorter than the 10 × delay the body takes
    const blobs = createS3BlobStore(parseBlobUrl(`s3://slow?endpoint=${endpoint}`, credentials()), { requestTimeoutMs: timeout });
    const started = Date.now();
    expect(await new Response(await blobs.get(messageId(), 0)).text()).toBe('xxxxxxxxxx');
    expect(Date.now() - started).toBeGreaterThan(timeout);
    const silent = createS3BlobStore(parseBlobUrl(`s3://slow/silent?endpoint=${endpoint}`, credentials()), { requestTimeoutMs: timeout });
    expect((await failure(silent.get(messageId(), 0))).code).toBe('unavailable');
    expect((await failure(silent.size(messageId(), 0))).code).toBe('unavailable');
  });
});
