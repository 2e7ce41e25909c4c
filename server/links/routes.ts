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
import { iso, payloadLengths } from '../messages/queries.js';
import { liveLink } from './live-link.js';

/** The recipient's link and payload endpoints (PROTOCOL.md §8.1 and §8.4). */
export function createLinksApp({ db, blobs, clock }: AppDeps) {
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
  app.get('/links/:linkId', (c) => {
    const now = clock.now();
    const link = liveLink(db, c.req.param('linkId'), now);
    if (link.opened_at === null) db.prepare('UPDATE links SET opened_at = ? WHERE id = ? AND opened_at IS NULL').run(now, link.id);
    const payloads = payloadLengths(link).map((length, index) => ({ index, length }));
    setHeader(c, 'Cache-Control', 'no-store');
    return c.json(
      { messageId: link.message_id, format: 1 as const, errand: link.errand, sender: { name: link.sender_name }, expiresAt: iso(link.expires_at)!, payloads },
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
      const release = token
        ? (db.prepare('SELECT link_id, browser_hash, expires_at FROM release_tokens WHERE token_hash = ?').get(hashCapability(token)) as
            | { link_id: string; browser_hash: string; expires_at: number }
            | undefined)
        : undefined;
      if (!release || release.link_id !== linkId || release.expires_at <= now || release.browser_hash !== browserOf(c)) {
        throw new AppError(401, 'release_token_invalid', 'identify with BankID again to open this message');
      }
      const link = liveLink(db, linkId, now, { allowExhausted: true });
      const length = payloadLengths(link)[index];
      if (length === undefined) throw new AppError(404, 'payload_not_found', 'the message has no payload with this index');
      return c.body(blobs.read(link.message_id, index), 200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(length),
        'Cache-Control': 'no-store',
      });
    },
  );

  return app;
}
