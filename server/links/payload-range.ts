import { segmentBytes, tagBytes } from '../../shared/stream.js';
import { AppError } from '../errors.js';

/** A sealed segment on the wire: 64 KiB of ciphertext and its 16-byte tag (docs/protocol.md §5). */
export const sealedSegmentBytes = segmentBytes + tagBytes;

/** Bytes `start` … `end - 1` of a payload. */
export interface PayloadRange {
  start: number;
  end: number;
}

/**
 * The `Range` of a payload GET, on segment boundaries, so that a broken download resumes
 * at a segment the recipient can open: one range, `bytes=<start>-` or
 * `bytes=<start>-<last>`, whose start is a multiple of 65,552 (a sealed segment) below
 * the payload's length; the last byte is capped at the payload's end. Anything else (a
 * start inside a segment or past the end, a suffix range `bytes=-N`, several ranges,
 * another unit) is refused with 416 `range_not_satisfiable` (its Content-Range names the
 * length), never widened: a client that asked for a byte must not get other bytes in
 * its place. No header: undefined (the whole payload).
 *
 * @example
 * payloadRange('bytes=131104-', 200_000) // { start: 131_104, end: 200_000 }
 * payloadRange('bytes=100-', 200_000)    // throws AppError 416 range_not_satisfiable
 */
export function payloadRange(header: string | undefined, length: number): PayloadRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  const start = match ? Number(match[1]) : NaN;
  const last = match?.[2] ? Number(match[2]) : length - 1;
  if (!match || start % sealedSegmentBytes !== 0 || start >= length || last < start) {
    throw new AppError(416, 'range_not_satisfiable', `a range starts at a multiple of ${sealedSegmentBytes} bytes (one sealed segment) below the payload's ${length} bytes`, {
      'Content-Range': `bytes */${length}`,
    });
  }
  return { start, end: Math.min(last + 1, length) };
}
