import { segmentBytes, tagBytes } from './stream.js';

/**
 * The chunked upload's rule (docs/protocol.md §8, sender API). A chunk is a run of whole
 * sealed segments: 80 of them, 5,244,160 bytes of ciphertext (5 MiB of plaintext), so a
 * chunk could also be an S3 multipart part (at least 5 MiB). Every chunk's offset and
 * length follow from the payload's declared ciphertext length, so the server checks each
 * one exactly; only the last chunk may be shorter. Its shapes are in api/uploads.ts.
 *
 * @example
 * chunkCount(12_000_000)        // 3
 * chunkRange(12_000_000, 2)     // { start: 10_488_320, end: 12_000_000 }
 */
export const chunkSegments = 80;
/** Ciphertext bytes of a full chunk. */
export const chunkBytes = chunkSegments * (segmentBytes + tagBytes);
/** Plaintext bytes of a full chunk. */
export const chunkPlaintextBytes = chunkSegments * segmentBytes;

/** Chunks of a payload of `length` ciphertext bytes (at least one). */
export function chunkCount(length: number): number {
  return Math.max(1, Math.ceil(length / chunkBytes));
}

/** Ciphertext bytes `start` … `end - 1` of chunk `chunk`; a RangeError past the last chunk. */
export function chunkRange(length: number, chunk: number): { start: number; end: number } {
  if (!Number.isSafeInteger(chunk) || chunk < 0 || chunk >= chunkCount(length)) throw new RangeError(`chunk ${chunk} is not one of this payload's ${chunkCount(length)} chunks`);
  const start = chunk * chunkBytes;
  return { start, end: Math.min(start + chunkBytes, length) };
}

/** `Content-Range` of chunk `chunk` of a payload of `length` bytes. */
export function chunkContentRange(length: number, chunk: number): string {
  const { start, end } = chunkRange(length, chunk);
  return `bytes ${start}-${end - 1}/${length}`;
}
