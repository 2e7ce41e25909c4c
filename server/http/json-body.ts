import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.js';

/**
 * Reads a JSON request body once, refusing more than `maxSize` bytes with 413
 * `body_too_large`. On Node it reads the request itself and hands the text to the
 * validators through Hono's body cache: going through the web-stream wrapper of the
 * request costs more than the rest of the request put together. Without Node's request
 * (app.request() in tests) it falls back to Hono's bodyLimit.
 */
export function jsonBody(maxSize: number): MiddlewareHandler {
  const tooLarge = () => new AppError(413, 'body_too_large', `the request body is larger than ${maxSize / 1024} KiB`);
  const fallback = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming) return fallback(c, next);
    if (Number(c.req.header('content-length') ?? 0) > maxSize) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxSize) throw tooLarge();
      chunks.push(chunk);
    }
    // Hono keeps body promises in this cache (typed as their values); c.req.json() reads 'text'.
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(Buffer.concat(chunks, size).toString('utf8'));
    return next();
  };
}
