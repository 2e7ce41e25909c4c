import { createSegmentCipher } from '#aes-gcm';
import type { Parts, SegmentCipher, SegmentKey } from './aes-gcm/types.js';
import { FormatError } from './errors.js';

/**
 * The segmented AES-256-GCM of PROTOCOL.md §4, as Web Streams that hold only a few
 * segments in memory, plus one-shot helpers for small inputs.
 *
 * Segments hold 65,536 plaintext bytes and are sealed with the platform's native
 * AES-GCM: WebCrypto in browsers, node:crypto in Node (see aes-gcm/). WebCrypto answers
 * asynchronously with a fixed cost per call, so several segments are kept in flight.
 * Nonces are made here and never leave this module.
 *
 * @example
 * await file.stream().pipeThrough(createSealStream(keys.payload(1))).pipeTo(upload);
 * const text = await openBytes(keys.errand, ciphertext);
 */
export const segmentBytes = 65_536;
export const tagBytes = 16;
/** A sealed segment on the wire: 65,536 bytes of ciphertext and its 16-byte tag; a payload Range starts on a multiple of it. */
export const sealedSegmentBytes = segmentBytes + tagBytes;

export interface StreamOptions {
  /** Segments sealed or opened concurrently (default 8). */
  inFlight?: number;
}

/** Ciphertext length of an L-byte plaintext: L + 16 × max(1, ceil(L / 65536)). */
export function sealedLength(plaintextLength: number): number {
  return plaintextLength + tagBytes * Math.max(1, Math.ceil(plaintextLength / segmentBytes));
}

export type { SegmentKey };

function segmentCipher(key: SegmentKey, usage: 'encrypt' | 'decrypt'): SegmentCipher | Promise<SegmentCipher> {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw new FormatError('length_invalid', 'an AES-256-GCM key must be 32 bytes');
  } else if (key.algorithm.name !== 'AES-GCM' || (key.algorithm as AesKeyAlgorithm).length !== 256) {
    throw new FormatError('length_invalid', 'the key is not an AES-256-GCM key');
  }
  return createSegmentCipher(key, usage);
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

type Bytes = Uint8Array | Promise<Uint8Array>;

/** Applies `next` to a value that may or may not have arrived yet, staying synchronous when it has. */
function andThen<T, U>(value: T | Promise<T>, next: (value: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Opens a segment, naming precisely what is wrong when it does not authenticate. */
function openSegment(cipher: SegmentCipher, counter: number, final: boolean, sealed: Uint8Array<ArrayBuffer>): Bytes {
  const refuse = async (bytes: Uint8Array<ArrayBuffer>): Promise<never> => {
    // Which nonce does it authenticate under? That tells truncation and trailing data from tampering.
    const otherwise = new Promise<Uint8Array>((resolve) => resolve(cipher.open(nonce(counter, !final), bytes)));
    const authenticatesOtherwise = await otherwise.then(
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
  };
  try {
    const opened = cipher.open(nonce(counter, final), sealed);
    if (!(opened instanceof Promise)) return opened;
    // The segment's buffer is reused once this returns; keep a copy for the second try.
    const kept = sealed.slice();
    return opened.catch(() => refuse(kept));
  } catch {
    return refuse(sealed);
  }
}

/**
 * Cuts a byte stream into fixed-size segments. A full segment is released only when
 * more bytes follow it, so the segment left at the end is known to be the final one.
 *
 * Released segments are views, valid only until the generator resumes: each is handed
 * to a cipher, which reads it before returning (node:crypto at once; WebCrypto copies
 * its input when called). So one buffer serves the whole stream, and a segment lying
 * whole inside a chunk, with more bytes after it, is not copied at all.
 */
class Segmenter {
  private pending: Uint8Array<ArrayBuffer> = empty;
  private fill = 0;
  total = 0;
  constructor(private readonly size: number) {}
  /** Adds bytes; yields the segments now known not to be final. */
  *push(chunk: Uint8Array): Generator<Uint8Array<ArrayBuffer>, void, undefined> {
    let offset = 0;
    this.total += chunk.length;
    const direct = chunk.buffer instanceof ArrayBuffer;
    while (offset < chunk.length) {
      if (this.fill === this.size) {
        yield this.pending;
        this.fill = 0;
      }
      if (this.fill === 0 && direct && chunk.length - offset > this.size) {
        yield chunk.subarray(offset, offset + this.size) as Uint8Array<ArrayBuffer>;
        offset += this.size;
        continue;
      }
      const take = Math.min(this.size - this.fill, chunk.length - offset);
      if (this.pending === empty) this.pending = takeBuffer(this.size);
      this.pending.set(chunk.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
    }
  }
  /** The final segment (possibly empty). */
  last(): Uint8Array<ArrayBuffer> {
    return this.pending.subarray(0, this.fill);
  }
  /** Gives the buffer back once the final segment has been handed to the cipher. */
  release(): void {
    if (this.pending !== empty) giveBuffer(this.pending);
    this.pending = empty;
    this.fill = 0;
  }
}

const empty = new Uint8Array(0);

/**
 * Segment buffers of finished streams, kept (wiped) for the next stream: a fresh zeroed
 * 64 KiB buffer costs more than all the other work of a small stream.
 */
const spareBuffers = new Map<number, Uint8Array<ArrayBuffer>[]>();

function takeBuffer(size: number): Uint8Array<ArrayBuffer> {
  return spareBuffers.get(size)?.pop() ?? new Uint8Array(size);
}

function giveBuffer(buffer: Uint8Array<ArrayBuffer>): void {
  buffer.fill(0); // no plaintext lingers in a spare
  const spares = spareBuffers.get(buffer.length) ?? [];
  if (spares.length < 4) spares.push(buffer);
  spareBuffers.set(buffer.length, spares);
}

/**
 * Runs segment jobs with at most `limit` in flight and hands results on in order.
 * A rejected job is surfaced when its turn comes, so errors keep stream order. A job
 * that finished synchronously with nothing ahead of it is handed on at once.
 */
class OrderedPipeline {
  private readonly queue: (Parts | Promise<Parts>)[] = [];
  constructor(
    private readonly limit: number,
    private readonly enqueue: (bytes: Uint8Array) => void,
  ) {}
  private emit(parts: Parts): void {
    if (parts instanceof Uint8Array) this.enqueue(parts);
    else for (const part of parts) this.enqueue(part);
  }
  /** Returns a promise only when it has to wait, so synchronous back ends pay no await. */
  add(job: Parts | Promise<Parts>): Promise<void> | undefined {
    if (!(job instanceof Promise) && this.queue.length === 0) {
      this.emit(job);
      return undefined;
    }
    if (job instanceof Promise) job.catch(() => undefined); // observed later, in order
    this.queue.push(job);
    return this.queue.length >= this.limit ? this.settle(this.limit - 1) : undefined;
  }
  drain(): Promise<void> | undefined {
    return this.queue.length > 0 ? this.settle(0) : undefined;
  }
  private async settle(keep: number): Promise<void> {
    while (this.queue.length > keep) this.emit(await this.queue.shift()!);
  }
}

/**
 * Runs `step` on every item, waiting only when a step returns a promise; so a stream
 * whose cipher answers synchronously goes through without a single await.
 */
function each<T>(items: Iterator<T>, step: (item: T) => Promise<void> | undefined): Promise<void> | undefined {
  for (let next = items.next(); !next.done; next = items.next()) {
    const waiting = step(next.value);
    if (waiting) return waiting.then(() => each(items, step));
  }
  return undefined;
}

/**
 * Room on the readable side for a full pipeline's results (a sealed segment may be two
 * chunks), so a transform seldom waits for the reader between segments: with none,
 * every segment costs the stream machinery a round trip.
 */
function readableStrategy(inFlight: number): QueuingStrategy<Uint8Array> {
  return { highWaterMark: 2 * inFlight };
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
  let cipher: SegmentCipher;
  let pipeline: OrderedPipeline;
  let counter = 0;
  const transformer: Transformer<Uint8Array, Uint8Array> = {
    start(controller) {
      pipeline = new OrderedPipeline(inFlight, (bytes) => controller.enqueue(bytes));
      return andThen(segmentCipher(key, 'encrypt'), (made) => void (cipher = made));
    },
    transform(chunk) {
      return each(segmenter.push(chunk), (segment) => pipeline.add(cipher.seal(nonce(counter++, false), segment)));
    },
    async flush() {
      const sealed = cipher.seal(nonce(counter++, true), segmenter.last());
      segmenter.release();
      await pipeline.add(sealed);
      await pipeline.drain();
    },
  };
  return new TransformStream<Uint8Array, Uint8Array>(transformer, undefined, readableStrategy(inFlight));
}

/** A TransformStream from §4 ciphertext to plaintext; refuses any altered, cut or extended stream. */
export function createOpenStream(key: SegmentKey, options?: StreamOptions): TransformStream<Uint8Array, Uint8Array> {
  const inFlight = inFlightOf(options);
  const segmenter = new Segmenter(sealedSegmentBytes);
  let cipher: SegmentCipher;
  let pipeline: OrderedPipeline;
  let counter = 0;
  const transformer: Transformer<Uint8Array, Uint8Array> = {
    start(controller) {
      pipeline = new OrderedPipeline(inFlight, (bytes) => controller.enqueue(bytes));
      return andThen(segmentCipher(key, 'decrypt'), (made) => void (cipher = made));
    },
    transform(chunk) {
      return each(segmenter.push(chunk), (segment) => pipeline.add(openSegment(cipher, counter++, false, segment)));
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
      const opened = openSegment(cipher, index, true, last);
      segmenter.release();
      await pipeline.add(
        andThen(opened, (plaintext) => {
          if (plaintext.length === 0 && index > 0) {
            throw new FormatError('stream_non_canonical', 'an empty final segment follows a full one');
          }
          return plaintext;
        }),
      );
      await pipeline.drain();
    },
  };
  return new TransformStream<Uint8Array, Uint8Array>(transformer, undefined, readableStrategy(inFlight));
}

/**
 * Seals segments `first` … of one payload from their plaintext, as one run of ciphertext:
 * the same bytes the stream gives for those segments, so a chunk sealed again (a resumed
 * upload) is identical. `plaintext` is whole segments, except when `last` says it ends
 * the payload: then its final segment (possibly empty) carries the final flag.
 *
 * @example
 * const chunk = await sealSegments(keys.payload(1), 80, plaintextOfSegments80To159, false);
 */
export async function sealSegments(key: SegmentKey, first: number, plaintext: Uint8Array, last: boolean): Promise<Uint8Array> {
  const parts = await sealSegmentParts(key, first, plaintext, last);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The same ciphertext as `sealSegments`, as its parts in order (each segment's sealed
 * body and tag), not joined: for a caller that hands them on as they are (a Blob of the
 * parts, which a browser moves out of the page's memory) and so saves a copy.
 *
 * @example
 * const body = new Blob(await sealSegmentParts(keys.payload(1), 80, plaintext, false));
 */
export async function sealSegmentParts(key: SegmentKey, first: number, plaintext: Uint8Array, last: boolean): Promise<Uint8Array[]> {
  if (!Number.isSafeInteger(first) || first < 0) throw new RangeError('the first segment is a whole number from 0');
  if (!last && (plaintext.length === 0 || plaintext.length % segmentBytes !== 0)) {
    throw new RangeError('segments before the payload’s last are whole: a multiple of 65,536 bytes');
  }
  const cipher = await segmentCipher(key, 'encrypt');
  const count = Math.max(1, Math.ceil(plaintext.length / segmentBytes));
  const results: (Parts | Promise<Parts>)[] = [];
  for (let i = 0; i < count; i++) {
    const segment = plaintext.subarray(i * segmentBytes, Math.min((i + 1) * segmentBytes, plaintext.length));
    // The cipher reads its input before it returns (node:crypto at once, WebCrypto copies), so a view is enough.
    results.push(cipher.seal(nonce(first + i, last && i === count - 1), new Uint8Array(segment.buffer as ArrayBuffer, segment.byteOffset, segment.length)));
  }
  const parts: Uint8Array[] = [];
  for (const result of results) {
    const sealed = await result;
    if (sealed instanceof Uint8Array) parts.push(sealed);
    else parts.push(...sealed);
  }
  return parts;
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
