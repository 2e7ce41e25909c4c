import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { binarySchema } from '../../shared/api/common.js';
import { payloadParamsSchema } from '../../shared/api/messages.js';
import { chunkHeadersSchema, chunkParamsSchema, chunkResultSchema, payloadUploadSchema } from '../../shared/api/uploads.js';
import type { AppDeps } from '../deps.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import type { RequestUser, SenderVariables } from '../senders/auth.js';
import type { MessageRecord } from '../store/types.js';
import { payloadUpload, putChunk } from './chunks.js';

/**
 * The chunked upload's routes, on the messages app (behind its bearer-token check):
 * `GET …/payloads/{index}` lists the chunks held, `PUT …/payloads/{index}/chunks/{chunk}`
 * stores one (idempotent).
 */
export function addUploadRoutes(
  app: OpenAPIHono<{ Variables: SenderVariables }>,
  deps: AppDeps,
  ownMessage: (senderId: string, messageId: string, user: RequestUser) => Promise<MessageRecord>,
): void {
  const security = [{ bearer: [] }];
  app.openapi(
    createRoute({
      method: 'get',
      path: '/messages/{messageId}/payloads/{index}',
      summary: 'A payload’s chunked upload: its chunk layout and the chunks the server holds (to resume)',
      security,
      request: { params: payloadParamsSchema },
      responses: {
        200: { description: 'The chunks held', content: { 'application/json': { schema: payloadUploadSchema } } },
        400: errorResponses[400],
        401: errorResponses[401],
        404: errorResponses[404],
      },
    }),
    async (c) => {
      const { messageId, index } = c.req.valid('param');
      return c.json(await payloadUpload(deps, await ownMessage(c.get('sender').id, messageId, c.get('user')), index), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/messages/{messageId}/payloads/{index}/chunks/{chunk}',
      summary: 'Upload one chunk of a payload (80 sealed segments, 5,244,160 bytes; the last may be shorter), streamed; idempotent',
      description:
        'Chunk k is bytes k × 5,244,160 … min((k + 1) × 5,244,160, length) − 1 of the payload’s declared ciphertext length, sent with exactly that Content-Range (`bytes <start>-<end>/<length>`). A chunk the server holds already answers 200 and changes nothing. The PUT that brings (or re-sends) the last missing chunk joins the payload, and the message becomes ready when its last payload is complete. Resume: GET the payload, send the chunks not listed.',
      security,
      request: {
        params: chunkParamsSchema,
        headers: chunkHeadersSchema,
        body: { required: true, content: { 'application/octet-stream': { schema: binarySchema } } },
      },
      responses: {
        200: { description: 'Held (now or before)', content: { 'application/json': { schema: chunkResultSchema } } },
        400: errorResponse('chunk_range_missing, chunk_range_invalid (the message names the chunk’s exact range), chunk_length_invalid, payload_length_mismatch (the body ended short)'),
        401: errorResponses[401],
        404: errorResponse('message_not_found, payload_not_found, chunk_not_found'),
        409: errorResponse('message_not_uploading: revoked or expired'),
        413: errorResponse('payload_too_large: the body is longer than the chunk'),
      },
    }),
    async (c) => {
      const { messageId, index, chunk } = c.req.valid('param');
      const message = await ownMessage(c.get('sender').id, messageId, c.get('user'));
      // On Node, read the request itself (fewer copies than its web-stream wrapper); app.request() in tests has only the web stream.
      const incoming = (c.env as { incoming?: AsyncIterable<Uint8Array> } | undefined)?.incoming;
      const body = incoming ?? (c.req.raw.body as AsyncIterable<Uint8Array> | null);
      const headers = { contentRange: c.req.header('content-range'), contentLength: c.req.header('content-length') };
      return c.json(await putChunk(deps, message, index, chunk, headers, body), 200);
    },
  );
}
