import type { Context } from 'hono';
import type { ServerResponse } from 'node:http';

/**
 * Sets a response header before the handler's response exists. Under @hono/node-server
 * it goes straight onto Node's response, which writeHead merges in; through Hono it would
 * build a Headers object per request, which costs the hottest route about a sixth of its
 * throughput. Elsewhere (app.request() in tests) it is Hono's c.header().
 */
export function setHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/** Headers every answer carries, beside its X-Request-Id (app.ts, and the payload route served before Hono). */
export const everyAnswerHeaders: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
