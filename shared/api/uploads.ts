import { z } from 'zod';
import { segmentBytes, tagBytes } from '../stream.js';
import { messageIdSchema, payloadIndexSchema } from './common.js';
import { messageStateSchema } from './messages.js';

/**
 * The chunked upload's rule and shapes (docs/protocol.md §8, sender API). A chunk is a
 * run of whole sealed segments: 80 of them, 5,244,160 bytes of ciphertext (5 MiB of
 * plaintext), so a chunk could also be an S3 multipart part (at least 5 MiB). Every
 * chunk's offset and length follow from the payload's declared ciphertext length, so the
 * server checks each one exactly; only the last chunk may be shorter.
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

/** A chunk number in a path: canonical decimal only, as payload indexes are. */
export const chunkIndexSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,5})$/, 'a chunk number is a decimal number without leading zeros')
  .transform(Number)
  .pipe(z.number().int().min(0))
  .meta({ description: 'Chunk number from 0: bytes chunk × 5,244,160 onwards', example: '0' });

export const chunkParamsSchema = z.object({ messageId: messageIdSchema, index: payloadIndexSchema, chunk: chunkIndexSchema });

export const chunkHeadersSchema = z.object({
  'content-range': z
    .string()
    .optional()
    .meta({ description: 'Required: `bytes <start>-<end − 1>/<payload length>`, exactly the chunk’s range by the rule', example: 'bytes 0-5244159/12000000' }),
});

export const payloadUploadSchema = z
  .object({
    index: z.number().int(),
    length: z.number().int().meta({ description: 'The payload’s ciphertext length, as declared at creation' }),
    chunkBytes: z.number().int().meta({ description: 'Bytes of a full chunk (5,244,160: 80 sealed segments); the last may be shorter' }),
    chunkCount: z.number().int(),
    chunks: z.array(z.number().int()).meta({ description: 'The chunks the server holds, ascending' }),
    complete: z.boolean().meta({ description: 'The payload is stored whole (every chunk in, or uploaded in one PUT)' }),
    state: messageStateSchema,
  })
  .meta({ id: 'PayloadUpload' });

export const chunkResultSchema = z
  .object({
    index: z.number().int(),
    chunk: z.number().int(),
    complete: z.boolean().meta({ description: 'This payload is now stored whole' }),
    state: messageStateSchema.meta({ description: 'ready once the last payload of the message completed' }),
  })
  .meta({ id: 'ChunkResult' });

export type PayloadUpload = z.infer<typeof payloadUploadSchema>;
export type ChunkResult = z.infer<typeof chunkResultSchema>;

/** `Content-Range` of chunk `chunk` of a payload of `length` bytes. */
export function chunkContentRange(length: number, chunk: number): string {
  const { start, end } = chunkRange(length, chunk);
  return `bytes ${start}-${end - 1}/${length}`;
}
