import type { ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { setHeader } from '../http/headers.js';
import type { BlobBody } from '../store/blob-store.js';

/** The answer's status and headers (Content-Type, Content-Length, Content-Range, …). */
export interface PayloadHead {
  status: 200 | 206;
  headers: Record<string, string>;
}

/**
 * Sends a payload's bytes the cheapest way the runtime allows. Under @hono/node-server:
 * a small body as one buffer (Hono's light response, one socket write), a large one piped
 * from the Node stream straight into Node's response (no Web-stream round trip), which
 * destroys the stream, and so closes the file or the object store's request, when the
 * recipient goes away, the read fails, or the recipient stalls (the server's socket
 * timeout, SIGILL_STALL_TIMEOUT_SECONDS, cuts the connection). Elsewhere
 * (app.request() in tests) it is an ordinary Web response.
 */
export function sendPayload(c: Context, head: PayloadHead, body: BlobBody): Response {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (body.bytes) {
    if (!outgoing) return c.body(body.bytes, head.status, head.headers);
    // One header through Hono keeps its response light; the rest go onto Node's response.
    const { 'Content-Type': contentType, ...rest } = head.headers;
    for (const name in rest) setHeader(c, name, rest[name]!);
    return c.body(body.bytes, head.status, { 'Content-Type': contentType! });
  }
  const stream = body.stream;
  if (!outgoing) {
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, head.status, head.headers);
  }
  outgoing.writeHead(head.status, head.headers);
  // pipeline destroys both sides on an abort, a stall or a read error; nothing more to report.
  pipeline(stream, outgoing, () => undefined);
  return alreadySent(head.status);
}

/**
 * Tells @hono/node-server the answer went out on Node's response; the status is for the
 * request log. Made with the same Response class as the library's own marker.
 */
function alreadySent(status: number): Response {
  const NativeResponse = RESPONSE_ALREADY_SENT.constructor as typeof Response;
  return new NativeResponse(null, { status, headers: RESPONSE_ALREADY_SENT.headers });
}
