import { z } from 'zod';
import { chunkCount, chunkRange } from '../chunks.js';
import { messageIdSchema, payloadIndexSchema } from './common.js';
import { messageStateSchema } from './messages.js';

/**
 * The chunked upload's shapes (docs/protocol.md §8, sender API); the rule itself (which
 * bytes each chunk holds) is in ../chunks.ts, without zod, for the clients' bundles.
 *
 * @example
 * chunkParamsSchema.parse({ messageId, index: '1', chunk: '0' });
 */
export { chunkBytes, chunkContentRange, chunkCount, chunkPlaintextBytes, chunkRange, chunkSegments } from '../chunks.js';
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
