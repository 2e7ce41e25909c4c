import { createMiddleware } from 'hono/factory';
import type { Logger } from 'pino';

/**
 * One log line per request: request id, method, the path with every id replaced by
 * `:id` (link ids, verification ids and message ids never reach a log), status and
 * duration. Never headers, bodies or queries.
 */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) ? ':id' : segment))
    .join('/');
}

export function requestLog(logger: Logger) {
  return createMiddleware<{ Variables: { requestId: string } }>(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: redactPath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
}
