import { createRoute } from '@hono/zod-openapi';
import { binarySchema } from '../../shared/api/common.js';
import { linkInfoSchema, linkParamsSchema, linkPayloadParamsSchema } from '../../shared/api/recipient.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { browserOf } from '../http/client.js';
import { setHeader } from '../http/headers.js';
import { newApi } from '../http/api.js';
import { hashCapability } from '../http/secrets.js';
import { errorResponses } from '../messages/schemas.js';
import { iso } from '../messages/status.js';
import { liveLink } from './live-link.js';
import { emitEvent } from '../webhooks/events.js';

/** The recipient's link and payload endpoints (PROTOCOL.md §8.1 and §8.4). */
export function createLinksApp({ store, blobs, clock }: AppDeps) {
  const app = newApi();

  // The hottest route: documented here, but routed without the schema validator (about
  // half of its cost); liveLink() checks the id as strictly.
  const linkRoute = createRoute({
    method: 'get',
    path: '/links/{linkId}',
    summary: 'The sealed errand, the sender’s name and the payload sizes (before BankID)',
    request: { params: linkParamsSchema },
    responses: {
      200: { description: 'The link', content: { 'application/json': { schema: linkInfoSchema } } },
      404: errorResponses[404],
      410: errorResponses[410],
    },
  });
  app.openAPIRegistry.registerPath(linkRoute);
  app.get('/links/:linkId', async (c) => {
    const now = clock.now();
    const link = await liveLink(store, c.req.param('linkId'), now);
    if (link.openedAt === null && (await store.links.markOpened(link.id, now))) await emitEvent(store, link.senderId, 'link.opened', { messageId: link.messageId, linkId: link.id }, now);
    const payloads = link.payloadLengths.map((length, index) => ({ index, length }));
    setHeader(c, 'Cache-Control', 'no-store');
    return c.json(
      { messageId: link.messageId, format: 1 as const, errand: link.errand, sender: { name: link.senderName }, expiresAt: iso(link.expiresAt)!, payloads },
      200,
    );
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links/{linkId}/payloads/{index}',
      summary: 'One payload’s ciphertext, streamed; needs the release token of an approved verification',
      security: [{ releaseToken: [] }],
      request: { params: linkPayloadParamsSchema },
      responses: {
        200: { description: 'Ciphertext', content: { 'application/octet-stream': { schema: binarySchema } } },
        400: errorResponses[400],
        401: errorResponses[401],
        404: errorResponses[404],
        410: errorResponses[410],
      },
    }),
    async (c) => {
      const { linkId, index } = c.req.valid('param');
      const now = clock.now();
      const token = /^Bearer\s+([A-Za-z0-9_-]{22})$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const release = token ? await store.releaseTokens.find(hashCapability(token)) : undefined;
      if (!release || release.linkId !== linkId || release.expiresAt <= now || release.browserHash !== browserOf(c)) {
        throw new AppError(401, 'release_token_invalid', 'identify with BankID again to open this message');
      }
      const link = await liveLink(store, linkId, now, { allowExhausted: true });
      const length = link.payloadLengths[index];
      if (length === undefined) throw new AppError(404, 'payload_not_found', 'the message has no payload with this index');
      const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(length), 'Cache-Control': 'no-store' };
      // Hono answers HEAD through this handler and drops the body without cancelling it:
      // open nothing for HEAD (issue 15 item 2).
      if (c.req.method === 'HEAD') return c.body(null, 200, headers);
      // A browser that goes away cancels the stream, which closes the blob's file or
      // request; one that stops reading is cut by the server's stall timeout.
      return c.body(await blobs.get(link.messageId, index), 200, headers);
    },
  );

  return app;
}
