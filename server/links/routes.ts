import { Readable } from 'node:stream';
import { createRoute } from '@hono/zod-openapi';
import { binarySchema } from '../../shared/api/common.js';
import { linkInfoSchema, linkParamsSchema, linkPayloadParamsSchema } from '../../shared/api/recipient.js';
import type { AppDeps } from '../deps.js';
import { setHeader } from '../http/headers.js';
import { newApi } from '../http/api.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import { iso } from '../messages/status.js';
import { liveLink } from './live-link.js';
import { answerPayload } from './payload-answer.js';
import { sealedSegmentBytes } from './payload-range.js';
import { emitEvent } from '../webhooks/events.js';

/** The recipient's link and payload endpoints (PROTOCOL.md §8.1 and §8.4). */
export function createLinksApp(deps: AppDeps) {
  const { store, clock } = deps;
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

  // Documented here, routed without the schema validator (as the link fetch): the
  // params are checked by the same schema, once, in answerPayload. A server process
  // answers this route before Hono (payload-listener.ts); this handler serves
  // app.request() and any other host of the app.
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'get',
      path: '/links/{linkId}/payloads/{index}',
      summary: 'One payload’s ciphertext; needs the release token of an approved verification',
      description: [
        'HEAD answers the same status and headers without a body (and opens nothing).',
        `Accept-Ranges: bytes. A broken download resumes with one Range, bytes=<start>- or bytes=<start>-<last>, whose start is a multiple`,
        `of ${sealedSegmentBytes} bytes (one sealed segment: 64 KiB and its tag) below the payload's length; it is answered 206 with Content-Range.`,
        'Any other range (a start inside a segment or past the end, a suffix range, several ranges) is refused with 416 range_not_satisfiable',
        'and Content-Range: bytes */<length>, never widened. A payload never changes, so no validator (If-Range) is needed.',
      ].join(' '),
      security: [{ releaseToken: [] }],
      request: { params: linkPayloadParamsSchema },
      responses: {
        200: { description: 'Ciphertext', content: { 'application/octet-stream': { schema: binarySchema } } },
        206: { description: 'Ciphertext from a segment boundary (Range)', content: { 'application/octet-stream': { schema: binarySchema } } },
        400: errorResponses[400],
        401: errorResponses[401],
        404: errorResponses[404],
        410: errorResponses[410],
        416: errorResponse('range_not_satisfiable: a Range whose start is not on a sealed segment boundary below the payload’s length'),
      },
    }),
  );
  app.get('/links/:linkId/payloads/:index', async (c) => {
    const { status, headers, body } = await answerPayload(deps, {
      method: c.req.method === 'HEAD' ? 'HEAD' : 'GET',
      linkId: c.req.param('linkId'),
      index: c.req.param('index'),
      authorization: c.req.header('authorization'),
      cookie: c.req.header('cookie'),
      range: c.req.header('range'),
      signal: c.req.raw.signal,
    });
    if (!body) return c.body(null, status, headers);
    return c.body(body.bytes ?? (Readable.toWeb(body.stream) as ReadableStream<Uint8Array>), status, headers);
  });

  return app;
}
