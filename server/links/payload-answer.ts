import { linkPayloadParamsSchema } from '../../shared/api/recipient.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { browserHashOf } from '../http/client.js';
import { hashCapability } from '../http/secrets.js';
import type { BlobBody } from '../store/blob-store.js';
import { checkLinkState } from './live-link.js';
import { payloadRange } from './payload-range.js';

/** What a payload request carries that matters: its path's parameters and four headers. */
export interface PayloadRequest {
  method: 'GET' | 'HEAD';
  linkId: string;
  index: string;
  authorization: string | undefined;
  cookie: string | undefined;
  range: string | undefined;
  /** Stops the blob's read (app.request(); the Node listener destroys the stream instead). */
  signal?: AbortSignal;
}

/** The answer's status and headers (Content-Type, Content-Length, Content-Range, …). */
export interface PayloadHead {
  status: 200 | 206;
  headers: Record<string, string>;
}

/** The head, and for a GET the blob's bytes: a buffer, or a Node stream the sender must pipe or destroy. */
export type PayloadAnswer = PayloadHead & { body?: BlobBody };

/**
 * One payload's answer (PROTOCOL.md §8.4), framework-free: the Hono route (routes.ts)
 * and the Node listener that serves the route before Hono (payload-listener.ts) both
 * call it and differ only in how they send. The check is one hash of the release token,
 * one point query for the token with its link and message, and one hash of the browser
 * cookie. HEAD opens nothing: the lengths are the database's. Refusals are AppErrors
 * (400 invalid_request, 401 release_token_invalid, 404, 410, 416 with Content-Range).
 *
 * @example
 * const answer = await answerPayload(deps, { method: 'GET', linkId, index: '0', authorization, cookie, range: undefined });
 */
export async function answerPayload({ store, blobs, clock }: Pick<AppDeps, 'store' | 'blobs' | 'clock'>, request: PayloadRequest): Promise<PayloadAnswer> {
  const params = linkPayloadParamsSchema.safeParse({ linkId: request.linkId, index: request.index });
  if (!params.success) {
    const issue = params.error.issues[0];
    throw new AppError(400, 'invalid_request', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
  }
  const { linkId, index } = params.data;
  const now = clock.now();
  const token = /^Bearer\s+([A-Za-z0-9_-]{22})$/i.exec(request.authorization ?? '')?.[1];
  const release = token ? await store.links.released(hashCapability(token)) : undefined;
  if (!release || release.linkId !== linkId || release.tokenExpiresAt <= now || release.browserHash !== browserHashOf(request.cookie)) {
    throw new AppError(401, 'release_token_invalid', 'identify with BankID again to open this message');
  }
  checkLinkState(release, now);
  const length = release.payloadLengths[index];
  if (length === undefined) throw new AppError(404, 'payload_not_found', 'the message has no payload with this index');
  const range = payloadRange(request.range, length);
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(range ? range.end - range.start : length),
    'Cache-Control': 'no-store',
    'Accept-Ranges': 'bytes',
  };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end - 1}/${length}`;
  const status = range ? 206 : 200;
  if (request.method === 'HEAD') return { status, headers };
  const body = await blobs.read(release.messageId, index, { size: length, ...(range ? { range } : {}), ...(request.signal ? { signal: request.signal } : {}) });
  return { status, headers, body };
}
