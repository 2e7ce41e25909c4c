import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';

/**
 * One log line per request: request id, method, the route pattern that answered
 * (`/api/v1/links/:linkId`, never the raw path, which can hold a link's secret when its
 * `#` arrives percent-encoded), status and duration. Never headers, bodies or queries.
 */
export function requestLog(logger: Logger) {
  return createMiddleware<{ Variables: { requestId: string } }>(async (c, next) => {
    const started = performance.now();
    await next();
    // After next(), the route index is the handler that answered; an unmatched request
    // ends on a middleware's pattern ('/*'), never on the path itself.
    logger.info({ requestId: c.get('requestId'), method: c.req.method, route: routePath(c), status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
}
