import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { AppDeps } from '../deps.js';
import { errorAnswer } from '../http/errors.js';
import { everyAnswerHeaders } from '../http/headers.js';
import { logRequest } from '../http/logging.js';
import { answerPayload, type PayloadAnswer } from './payload-answer.js';

/** The route's pattern, as the request log names it. */
export const payloadRoute = '/api/v1/links/:linkId/payloads/:index';

// The raw path: a query is ignored, as the router does; a percent-encoded or empty
// segment is left to Hono (it decodes, and answers what the route would).
const payloadPath = /^\/api\/v1\/links\/([^/?%]+)\/payloads\/([^/?%]+)(?:\?|$)/;

/**
 * The recipient's payload route served straight from Node's request, before Hono: the
 * most frequent request after the link fetch, and the largest answer. It saves about a
 * quarter of the server's CPU per 48 KiB answer against @hono/node-server and Hono
 * (their request and response objects, the router, the middleware chain; README,
 * Benchmarks). Everything else about it is the app's: answerPayload() decides, the
 * app's error mapping answers a refusal, every answer carries X-Request-Id and the
 * app's headers, and a request log line names the route pattern. A small payload goes
 * out as one buffer in one write; a large one is piped from the blob's Node stream,
 * and pipeline destroys that stream, which closes the file or the object store's
 * request, when the recipient goes away, the read fails, or the recipient stalls (the
 * server's socket timeout cuts the connection).
 *
 * @example
 * const payloads = payloadListener(deps);
 * createServer((request, response) => payloads(request, response) || app(request, response));
 */
export function payloadListener(deps: AppDeps): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { logger } = deps;
  const logs = logger.isLevelEnabled('info');
  return (request, response) => {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const match = payloadPath.exec(request.url ?? '');
    if (!match) return false;
    const started = performance.now();
    const requestId = randomUUID();
    const { authorization, cookie, range } = request.headers;
    const answered = answerPayload(deps, { method, linkId: match[1]!, index: match[2]!, authorization, cookie, range }).then(
      (answer) => send(response, { 'X-Request-Id': requestId, ...everyAnswerHeaders, ...answer.headers }, answer),
      (error: Error) => {
        const { status, body, headers } = errorAnswer(error, requestId, logger);
        response.writeHead(status, { 'X-Request-Id': requestId, ...everyAnswerHeaders, ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        return status;
      },
    ).catch((error: unknown) => {
      // Sending itself failed (nothing the route expects): cut the connection, say so once.
      response.destroy();
      logger.error({ requestId, event: 'internal_error', errorName: (error as Error).name }, 'payload answer failed');
      return 500;
    });
    if (logs) void answered.then((status) => logRequest(logger, { requestId, method, route: payloadRoute, status, started }));
    return true;
  };
}

function send(response: ServerResponse, headers: OutgoingHttpHeaders, { status, body }: PayloadAnswer): number {
  try {
    response.writeHead(status, headers);
  } catch (error) {
    body?.stream?.destroy();
    throw error;
  }
  if (!body) response.end();
  else if (body.bytes) response.end(body.bytes);
  // pipeline destroys both sides on an abort, a stall or a read error; nothing more to report.
  else pipeline(body.stream, response, () => undefined);
  return status;
}
