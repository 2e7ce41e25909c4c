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
    logRequest(logger, { requestId: c.get('requestId'), method: c.req.method, route: routePath(c), status: c.res.status, started });
  });
}

/** The request's line (also for the payload route served before Hono); `started` is performance.now() at its start. */
export function logRequest(logger: Logger, { requestId, method, route, status, started }: { requestId: string; method: string; route: string; status: number; started: number }): void {
  logger.info({ requestId, method, route, status, ms: Math.round(performance.now() - started) }, 'request');
}
