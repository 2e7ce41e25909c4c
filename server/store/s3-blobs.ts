import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import { describeBlobConfig, type S3BlobConfig } from './blob-config.js';
import { wholeBlobBytes, type BlobEntry, type BlobGetOptions, type BlobPutOptions, type BlobStore } from './blob-store.js';
import { StoreError } from './errors.js';
import { emptyStream, exactLength, relay } from './blob-streams.js';

/**
 * Blobs in an S3-compatible object store, over its HTTP API signed with SigV4 (aws4fetch;
 * no AWS SDK). One object per payload, `<prefix>payloads/<messageId>/<index>`, holding
 * ciphertext only.
 *
 * How the BlobStore rules hold here:
 * - Exactly `length` bytes or nothing: the body streams through `exactLength`, which
 *   sends the last chunk only once the body has ended at exactly `length` bytes, and
 *   aborts the request otherwise. An object store makes a PUT visible only when all of
 *   its Content-Length arrived, so an aborted upload, or a process killed mid-upload,
 *   leaves no object. Each object also carries its length as metadata
 *   (`x-amz-meta-sigill-length`): an object without it is not a blob. (That covers test
 *   servers such as s3rver, which show a PUT's bytes while they arrive.)
 * - Never replaced: `put` first asks whether the blob exists (so the usual refusal comes
 *   before any byte is sent), then PUTs with `If-None-Match: *`, which AWS S3 (since
 *   2024), MinIO, Ceph, R2 and GCS refuse with 412 once the key exists, also for two
 *   PUTs at the same moment. On a store that ignores the header (s3rver), two uploads of
 *   one payload racing each other can both land, the second replacing the first; the
 *   database still counts the payload once (`countStoredPayload` is one conditional
 *   UPDATE), and only the uploader holding that message's upload token can race itself.
 * - One PUT is at most 5 GiB (S3's limit), far above SIGILL_MAX_MESSAGE_BYTES' default.
 *
 * @example
 * const blobs = createS3BlobStore(parseBlobUrl(process.env.SIGILL_BLOB_URL!, process.env));
 * await blobs.put(messageId, 0, body.length, [body]);
 */
const lengthHeader = 'x-amz-meta-sigill-length';

export interface S3BlobOptions {
  /** Keys per ListObjects page (S3's most, 1000, by default; tests page with fewer). */
  listPageSize?: number;
  /** How long the object store may take to answer (see `send`); 30 s by default. */
  requestTimeoutMs?: number;
}

export function createS3BlobStore(config: S3BlobConfig, options: S3BlobOptions = {}): BlobStore {
  const listPageSize = String(options.listPageSize ?? 1000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
    service: 's3',
    region: config.region,
    retries: 0,
  });
  const base = new URL(config.endpoint);
  const bucketUrl = config.pathStyle
    ? `${config.endpoint}/${encodeURIComponent(config.bucket)}`
    : `${base.protocol}//${config.bucket}.${base.host}${base.pathname.replace(/\/$/, '')}`;
  const keyPrefix = `${config.prefix}payloads/`;
  const key = (messageId: string, index: number) => `${keyPrefix}${messageId}/${index}`;
  const keyUrl = (objectKey: string) => `${bucketUrl}/${objectKey.split('/').map(encodeURIComponent).join('/')}`;
  const objectUrl = (messageId: string, index: number) => keyUrl(key(messageId, index));
  // A payload uploaded in chunks keeps them as objects of their own until it is joined (server/store/README.md says why).
  const chunkPrefix = `${config.prefix}chunks/`;
  const chunkUrl = (messageId: string, index: number, chunk: number) => keyUrl(`${chunkPrefix}${messageId}/${index}/${chunk}`);

  /**
   * One signed request; a body, if any, streams unsigned (UNSIGNED-PAYLOAD, as S3 allows).
   * `waitFor` bounds how long the store may take: the whole exchange (small requests),
   * until the answer's headers (a GET, whose body streams at the reader's pace), or not
   * at all (a PUT, whose body arrives at the uploader's pace; the caller's signal ends it).
   */
  async function send(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: ReadableStream<Uint8Array>; length?: number; signal?: AbortSignal | undefined; waitFor: 'answer' | 'headers' | 'caller' },
  ): Promise<Response> {
    const signed = await client.sign(url, { method, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...init.headers } });
    const headers = new Headers(signed.headers);
    if (init.length !== undefined) headers.set('content-length', String(init.length));
    const timer = new AbortController();
    const timeout = init.waitFor === 'caller' ? undefined : setTimeout(() => timer.abort(), requestTimeoutMs);
    timeout?.unref();
    const signals = [init.signal, timeout ? timer.signal : undefined].filter((signal): signal is AbortSignal => signal !== undefined);
    const request: RequestInit & { duplex?: 'half' } = { method, headers };
    if (signals.length > 0) request.signal = signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
    // Node's fetch streams a request body only in half-duplex mode.
    if (init.body) Object.assign(request, { body: init.body, duplex: 'half' });
    try {
      return await fetch(signed.url, request);
    } finally {
      if (init.waitFor === 'headers') clearTimeout(timeout);
    }
  }

  /** The object's length if it is a whole blob (its metadata matches), else undefined. */
  function wholeLength(response: Response): number | undefined {
    const declared = response.headers.get(lengthHeader);
    const total = Number(response.headers.get('content-range')?.split('/')[1] ?? response.headers.get('content-length'));
    return declared !== null && Number(declared) === total ? total : undefined;
  }

  async function wholeSize(url: string): Promise<number | undefined> {
    const response = await send('HEAD', url, { waitFor: 'answer' }).catch(rethrow);
    await discard(response);
    if (response.status === 404) return undefined;
    if (!response.ok) throw refused(response);
    return wholeLength(response);
  }

  const size = (messageId: string, index: number) => wholeSize(objectUrl(messageId, index));

  async function deleteObject(url: string): Promise<void> {
    const response = await send('DELETE', url, { waitFor: 'answer' }).catch(rethrow);
    await discard(response);
    if (!response.ok && response.status !== 404) throw refused(response);
  }

  /** Every key under `prefix`, page by page (ListObjects version 1, paged by marker: every S3-compatible store has it). */
  async function* listKeys(prefix: string): AsyncIterable<{ key: string; size: number }> {
    let marker = '';
    for (;;) {
      const query = new URLSearchParams({ prefix, 'max-keys': listPageSize });
      if (marker) query.set('marker', marker);
      const response = await send('GET', `${bucketUrl}?${query}`, { waitFor: 'answer' }).catch(rethrow);
      if (!response.ok) {
        await discard(response);
        throw refused(response);
      }
      const page = parseListPage(await response.text());
      yield* page.contents;
      const last = page.contents.at(-1)?.key;
      if (!page.truncated || last === undefined) return;
      marker = last;
    }
  }

  /** PUTs one object of exactly `length` bytes, never replacing one (see the rules above). */
  async function putObject(url: string, length: number, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: BlobPutOptions): Promise<void> {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('a blob length is a whole number of bytes');
    if ((await wholeSize(url)) !== undefined) throw exists();
    const signal = options.signal;
    if (signal?.aborted) throw aborted();
    const exact = exactLength(body, length);
    let response: Response;
    try {
      response = await send('PUT', url, {
        headers: { 'if-none-match': '*', [lengthHeader]: String(length), 'content-type': 'application/octet-stream' },
        body: exact.stream,
        length,
        signal,
        waitFor: 'caller',
      });
    } catch (error) {
      // The body's own verdict (too long, too short) comes first; then an abort.
      if (exact.failure() !== undefined) throw exact.failure();
      if (signal?.aborted) throw aborted();
      throw unreachable(error);
    }
    await discard(response);
    if (response.status === 412 || response.status === 409) throw exists();
    if (response.status === 501) throw new StoreError('unavailable', 'the object store does not support conditional writes (If-None-Match: *), which Sigill needs');
    if (!response.ok) throw refused(response);
  }

  /** The chunks' bytes one after another, each streamed from its object. */
  async function* chunksInOrder(messageId: string, index: number, count: number): AsyncIterable<Uint8Array> {
    for (let chunk = 0; chunk < count; chunk++) {
      const stream = await getObject(chunkUrl(messageId, index, chunk), {});
      yield* stream as unknown as AsyncIterable<Uint8Array>;
    }
  }

  /** One object's bytes (or a range) as a stream; `not_found` before any byte when it is missing. */
  async function getObject(url: string, options: BlobGetOptions): Promise<ReadableStream<Uint8Array>> {
    const { signal, range } = options;
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      throw new RangeError('a range is whole numbers with 0 <= start <= end');
    }
    if (range && range.start === range.end) {
      if ((await wholeSize(url)) === undefined) throw missing();
      return emptyStream();
    }
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end - 1}` } : {};
    const response = await send('GET', url, { headers, signal, waitFor: 'headers' }).catch((error) => {
      throw signal?.aborted ? aborted() : unreachable(error);
    });
    if (response.status === 404) {
      await discard(response);
      throw missing();
    }
    if (response.status === 416) {
      // The range starts at or after the end: no bytes, as the data folder gives.
      await discard(response);
      if ((await wholeSize(url)) === undefined) throw missing();
      return emptyStream();
    }
    if (!response.ok || !response.body) {
      await discard(response);
      throw refused(response);
    }
    if (wholeLength(response) === undefined) {
      await discard(response);
      throw missing();
    }
    return relay(response.body, signal, unreachable);
  }

  return {
    description: describeBlobConfig(config),

    async put(messageId, index, length, body, options: BlobPutOptions = {}) {
      await putObject(objectUrl(messageId, index), length, body, options);
    },

    async putChunk(messageId, index, chunk, length, body, options: BlobPutOptions = {}) {
      await putObject(chunkUrl(messageId, index, chunk), length, body, options);
    },

    async getChunk(messageId, index, chunk, options: BlobGetOptions = {}) {
      return getObject(chunkUrl(messageId, index, chunk), options);
    },

    async joinChunks(messageId, index, length, chunkCount) {
      // Through this process: s3rver has no UploadPartCopy, which would join them inside the store.
      await putObject(objectUrl(messageId, index), length, chunksInOrder(messageId, index, chunkCount), {});
    },

    async deleteChunks(messageId, index, chunkCount) {
      for (let chunk = 0; chunk < chunkCount; chunk++) await deleteObject(chunkUrl(messageId, index, chunk));
    },

    async get(messageId, index, options: BlobGetOptions = {}) {
      return getObject(objectUrl(messageId, index), options);
    },

    async read(messageId, index, { size: recorded, range, signal }) {
      const start = range?.start ?? 0;
      const end = range?.end ?? recorded;
      // A small body is read whole within the timeout; a large one streams at the recipient's pace (the timeout covers its headers).
      const whole = end - start <= wholeBlobBytes;
      const headers: Record<string, string> = range ? { range: `bytes=${start}-${end - 1}` } : {};
      const response = await send('GET', objectUrl(messageId, index), { headers, signal, waitFor: whole ? 'answer' : 'headers' }).catch((error) => {
        throw signal?.aborted ? aborted() : unreachable(error);
      });
      if (response.status === 404) {
        await discard(response);
        throw missing();
      }
      if (!response.ok || !response.body || wholeLength(response) === undefined) {
        await discard(response);
        throw response.ok ? missing() : refused(response);
      }
      if (whole) {
        const body = await response.arrayBuffer().catch((error: unknown): never => {
          throw signal?.aborted ? aborted() : unreachable(error);
        });
        const bytes = Buffer.from(body);
        if (bytes.length !== end - start) throw new StoreError('length_mismatch', `the payload has ${bytes.length} bytes, not the recorded ${end - start}`);
        return { bytes };
      }
      // Straight through: destroying the Node stream cancels the body, which closes the connection.
      return { stream: Readable.fromWeb(response.body as NodeWebStream<Uint8Array>) };
    },

    size,

    async deleteMessage(messageId, payloadCount) {
      // One after another: a message has few payloads, and some S3 servers (s3rver) fail
      // parallel deletes under one key prefix.
      for (let index = 0; index < payloadCount; index++) await deleteObject(objectUrl(messageId, index));
      // Chunks of a payload never joined (an upload abandoned, revoked or expired).
      const chunks: string[] = [];
      for await (const entry of listKeys(`${chunkPrefix}${messageId}/`)) chunks.push(entry.key);
      for (const chunkKey of chunks) await deleteObject(keyUrl(chunkKey));
    },

    async *list(): AsyncIterable<BlobEntry> {
      // (s3rver's version-2 continuation tokens use DES, which Node 20's OpenSSL no longer has.)
      for await (const entry of listKeys(keyPrefix)) {
        const match = /^([A-Za-z0-9_-]+)\/(\d+)$/.exec(entry.key.slice(keyPrefix.length));
        if (entry.key.startsWith(keyPrefix) && match) yield { messageId: match[1]!, index: Number(match[2]), size: entry.size };
      }
    },

    async removeLeftovers() {
      // An S3 PUT is all or nothing: a dead upload leaves nothing to remove (uploads are never multipart).
      return 0;
    },

    async close() {
      // Node's fetch pools its connections globally; there is nothing of ours to release.
    },
  };
}

/** Reads a ListObjects page's XML: keys and sizes, and whether more follow. */
export function parseListPage(xml: string): { contents: { key: string; size: number }[]; truncated: boolean } {
  const text = (block: string, tag: string) => {
    const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block);
    return match ? unescapeXml(match[1]!) : undefined;
  };
  const contents = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, block]) => ({
    key: text(block!, 'Key') ?? '',
    size: Number(text(block!, 'Size')),
  }));
  return { contents, truncated: text(xml, 'IsTruncated') === 'true' };
}

function unescapeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (entity in named) return named[entity]!;
    return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
  });
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

const exists = () => new StoreError('payload_exists', 'this payload is already stored');
const missing = () => new StoreError('not_found', 'there is no such payload');
const aborted = () => new StoreError('aborted', 'the payload transfer was cancelled');

const rethrow = (error: unknown): never => {
  throw unreachable(error);
};

function unreachable(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError('unavailable', 'the object store cannot be reached', { cause: error });
}

/** The object store's refusal, by status only: its XML may echo keys and request details. */
function refused(response: Response): StoreError {
  const why = response.status === 403 ? ' (check the credentials and the bucket policy)' : response.status === 404 ? ' (does the bucket exist?)' : '';
  return new StoreError('unavailable', `the object store answered HTTP ${response.status}${why}`);
}
