import { FormatError } from './errors.js';

/**
 * The segmented AES-256-GCM of PROTOCOL.md §4, as Web Streams that hold only a few
 * segments in memory, plus one-shot helpers for small inputs.
 *
 * Segments hold 65,536 plaintext bytes and are sealed with the platform's native
 * AES-GCM (WebCrypto); several segments are kept in flight because each WebCrypto
 * call has a fixed cost. Nonces are made here and never leave this module.
 *
 * @example
 * await file.stream().pipeThrough(createSealStream(keys.payload(1))).pipeTo(upload);
 * const text = await openBytes(keys.errand, ciphertext);
 */
export const segmentBytes = 65_536;
export const tagBytes = 16;
const sealedSegmentBytes = segmentBytes + tagBytes;

export interface StreamOptions {
  /** Segments sealed or opened concurrently (default 8). */
  inFlight?: number;
}

/** Ciphertext length of an L-byte plaintext: L + 16 × max(1, ceil(L / 65536)). */
export function sealedLength(plaintextLength: number): number {
  return plaintextLength + tagBytes * Math.max(1, Math.ceil(plaintextLength / segmentBytes));
}

type SegmentKey = CryptoKey | Uint8Array;

async function importSegmentKey(key: SegmentKey, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  if (!(key instanceof Uint8Array)) return key;
  if (key.length !== 32) throw new FormatError('length_invalid', 'an AES-256-GCM key must be 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'AES-GCM' }, false, [usage]);
}

function nonce(counter: number, final: boolean): Uint8Array<ArrayBuffer> {
  const iv = new Uint8Array(12);
  let rest = counter;
  for (let i = 10; i >= 0 && rest > 0; i--) {
    iv[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  iv[11] = final ? 1 : 0;
  return iv;
}

async function aes(
  operation: 'encrypt' | 'decrypt',
  key: CryptoKey,
  counter: number,
  final: boolean,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const algorithm = { name: 'AES-GCM', iv: nonce(counter, final), tagLength: 128 };
  return new Uint8Array(await globalThis.crypto.subtle[operation](algorithm, key, data));
}

/** Decrypts a segment, naming precisely what is wrong when it does not authenticate. */
async function openSegment(key: CryptoKey, counter: number, final: boolean, sealed: Uint8Array<ArrayBuffer>) {
  try {
    return await aes('decrypt', key, counter, final, sealed);
  } catch {
    // Which nonce does it authenticate under? That tells truncation and trailing data from tampering.
    const authenticatesOtherwise = await aes('decrypt', key, counter, !final, sealed).then(
      () => true,
      () => false,
    );
    if (authenticatesOtherwise && final) {
      throw new FormatError('stream_truncated', 'the ciphertext ends before its final segment (truncated)');
    }
    if (authenticatesOtherwise) {
      throw new FormatError('trailing_data', 'data follows the final segment');
    }
    throw new FormatError('segment_tag_invalid', `segment ${counter} does not authenticate (wrong key or altered)`);
  }
}

/**
 * Cuts a byte stream into fixed-size segments. A full segment is released only when
 * more bytes follow it, so the segment left at the end is known to be the final one.
 */
class Segmenter {
  private current: Uint8Array<ArrayBuffer>;
  private fill = 0;
  total = 0;
  constructor(private readonly size: number) {
    this.current = new Uint8Array(size);
  }
  /** Adds bytes; returns the segments now known not to be final. */
  push(chunk: Uint8Array): Uint8Array<ArrayBuffer>[] {
    const full: Uint8Array<ArrayBuffer>[] = [];
    let offset = 0;
    this.total += chunk.length;
    while (offset < chunk.length) {
      if (this.fill === this.size) {
        full.push(this.current);
        this.current = new Uint8Array(this.size);
        this.fill = 0;
      }
      const take = Math.min(this.size - this.fill, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
    }
    return full;
  }
  /** The final segment (possibly empty). */
  last(): Uint8Array<ArrayBuffer> {
    return this.current.subarray(0, this.fill);
  }
}

/**
 * Runs segment jobs with at most `limit` in flight and hands results on in order.
 * A rejected job is surfaced when its turn comes, so errors keep stream order.
 */
class OrderedPipeline {
  private readonly queue: Promise<Uint8Array>[] = [];
  constructor(
    private readonly limit: number,
    private readonly emit: (bytes: Uint8Array) => void,
  ) {}
  async add(job: Promise<Uint8Array>): Promise<void> {
    job.catch(() => undefined); // observed later, in order
    this.queue.push(job);
    while (this.queue.length >= this.limit) this.emit(await this.queue.shift()!);
  }
  async drain(): Promise<void> {
    while (this.queue.length > 0) this.emit(await this.queue.shift()!);
  }
}

function inFlightOf(options: StreamOptions | undefined): number {
  const inFlight = options?.inFlight ?? 8;
  if (!Number.isInteger(inFlight) || inFlight < 1) throw new RangeError('inFlight must be a whole number from 1');
  return inFlight;
}

/** A TransformStream from plaintext bytes to the §4 ciphertext. */
export function createSealStream(key: SegmentKey, options?: StreamOptions): TransformStream<Uint8Array, Uint8Array> {
  const inFlight = inFlightOf(options);
  const segmenter = new Segmenter(segmentBytes);
  let cryptoKey: CryptoKey;
  let pipeline: OrderedPipeline;
  let counter = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      cryptoKey = await importSegmentKey(key, 'encrypt');
      pipeline = new OrderedPipeline(inFlight, (bytes) => controller.enqueue(bytes));
    },
    async transform(chunk) {
      for (const segment of segmenter.push(chunk)) {
        await pipeline.add(aes('encrypt', cryptoKey, counter++, false, segment));
      }
    },
    async flush() {
      await pipeline.add(aes('encrypt', cryptoKey, counter++, true, segmenter.last()));
      await pipeline.drain();
    },
  });
}

/** A TransformStream from §4 ciphertext to plaintext; refuses any altered, cut or extended stream. */
export function createOpenStream(key: SegmentKey, options?: StreamOptions): TransformStream<Uint8Array, Uint8Array> {
  const inFlight = inFlightOf(options);
  const segmenter = new Segmenter(sealedSegmentBytes);
  let cryptoKey: CryptoKey;
  let pipeline: OrderedPipeline;
  let counter = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      cryptoKey = await importSegmentKey(key, 'decrypt');
      pipeline = new OrderedPipeline(inFlight, (bytes) => controller.enqueue(bytes));
    },
    async transform(chunk) {
      for (const segment of segmenter.push(chunk)) {
        await pipeline.add(openSegment(cryptoKey, counter++, false, segment));
      }
    },
    async flush() {
      const last = segmenter.last();
      if (segmenter.total < tagBytes) {
        throw new FormatError('ciphertext_too_short', 'the ciphertext is shorter than one tag');
      }
      if (last.length < tagBytes) {
        throw new FormatError('segment_too_short', 'the final segment is shorter than its tag (cut)');
      }
      const index = counter++;
      await pipeline.add(
        openSegment(cryptoKey, index, true, last).then((plaintext) => {
          if (plaintext.length === 0 && index > 0) {
            throw new FormatError('stream_non_canonical', 'an empty final segment follows a full one');
          }
          return plaintext;
        }),
      );
      await pipeline.drain();
    },
  });
}

/** Seals a small plaintext in one call (the errand, the content document). */
export async function sealBytes(key: SegmentKey, plaintext: Uint8Array): Promise<Uint8Array> {
  return collect(streamOf(plaintext).pipeThrough(createSealStream(key)));
}

/** Opens a small ciphertext in one call. */
export async function openBytes(key: SegmentKey, ciphertext: Uint8Array): Promise<Uint8Array> {
  return collect(streamOf(ciphertext).pipeThrough(createOpenStream(key)));
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Reads a whole byte stream into one array. For small streams only. */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    parts.push(next.value);
    length += next.value.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
