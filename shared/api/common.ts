import { z } from 'zod';

/**
 * The building blocks of the API's shapes (shared/api/*.ts). Every request and response
 * of the HTTP API is a zod schema defined once here: the server validates with it, the
 * OpenAPI document at /api/openapi.json is generated from it, and the clients infer their
 * types from it. Binary values are base64url without padding (PROTOCOL.md).
 *
 * @example
 * const messageId = messageIdSchema.parse('AAAAAAAAAAAAAAAAAAAAAA');
 */
export const base64url = (description: string) =>
  z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding').meta({ description });

export const messageIdSchema = base64url('The messageId: 16 random bytes, base64url (22 characters)').length(22).meta({ example: 'q8H3f0Qb2mNw1yZk7cV4sA' });
export const linkIdSchema = base64url('The linkId: 16 random bytes, base64url (22 characters)').length(22).meta({ example: 'Zt0pL9xWc2QhR5vN8bKe1g' });
export const timeSchema = z.string().meta({ description: 'RFC 3339 time', example: '2026-12-01T09:45:00.000Z' });

/**
 * A payload index in a path: canonical decimal only (`0`, `7`, `42`), at most 100.
 * `00`, `0x1`, ` 1` or `1e0` are refused, not coerced.
 */
export const payloadIndexSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,2})$/, 'a payload index is a decimal number without leading zeros')
  .transform(Number)
  .pipe(z.number().int().min(0).max(100))
  .meta({ description: 'Payload index: 0 is the content document, 1… the attachments', example: '0' });

export const payloadSizeSchema = z
  .object({ index: z.number().int().min(0), length: z.number().int().min(16).meta({ description: 'Ciphertext length in bytes' }) })
  .meta({ id: 'PayloadSize', description: 'One payload: index 0 is the content document, 1… the attachments (docs/protocol.md §5)' });

/** Every error response: `{"error":{"code","message"}}` with a stable snake_case code. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable snake_case code; branch on it, never on the message', example: 'message_not_found' }),
      message: z.string().meta({ description: 'A sentence for people; never holds a secret', example: 'no such message for this sender' }),
    }),
  })
  .meta({ id: 'Error' });

export type ApiErrorBody = z.infer<typeof errorSchema>;

/** A payload's ciphertext on the wire (application/octet-stream). */
export const binarySchema = z.string().meta({ format: 'binary', description: 'Ciphertext, docs/protocol.md §4' });
