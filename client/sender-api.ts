import { chunkContentRange } from '../shared/chunks.js';
import type { ChunkResult, CreateMessageRequest, DeliveryRequest, PayloadUpload, MessageList, MessageListQuery, MessageStatus, Sender, SmsRequest, SmsResult, UploadResult } from '../shared/api.js';
import { createHttp, type HttpOptions } from './http.js';

/**
 * The sender's side of the HTTP API (bearer token), typed by shared/api/. Every path is
 * built here and nowhere else.
 *
 * @example
 * const api = senderApi({ baseUrl: 'http://localhost:8787', token });
 * const { name, origin } = await api.me();
 * const { messages } = await api.messages();
 * // The toolbox: its page's origin, signed in by the session cookie instead of a token.
 * const session = senderApi({ baseUrl: '', credentials: 'same-origin' });
 */
export interface UploadOptions {
  /** Ciphertext length (sent as Content-Length where the platform allows it). */
  length: number;
  /** Called as bytes go out (a stream body) or once it is done (a Blob body). */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export interface SenderApi {
  me(): Promise<Sender>;
  createMessage(request: CreateMessageRequest): Promise<MessageStatus>;
  /** A stream body needs a platform that streams request bodies (Node); browsers send a Blob. */
  uploadPayload(messageId: string, index: number, body: ReadableStream<Uint8Array> | Blob, options: UploadOptions): Promise<UploadResult>;
  /** Which chunks of a payload the server holds (the chunked upload, shared/api/uploads.ts). */
  payloadUpload(messageId: string, index: number): Promise<PayloadUpload>;
  /** One chunk's ciphertext, as bytes or a Blob (`length`: the payload's whole ciphertext length); idempotent. */
  putChunk(messageId: string, index: number, chunk: number, body: Uint8Array | Blob, options: { length: number; signal?: AbortSignal }): Promise<ChunkResult>;
  /** Resolves with the delivery's state: `failed` (with a reason) when the provider did not take it. */
  sendSms(messageId: string, request: SmsRequest): Promise<SmsResult>;
  /** Relays a prepared text carrying one link by SMS or email (`failed` with a reason when the provider or relay did not take it; 501 `email_not_configured` without SMTP). */
  relay(messageId: string, request: DeliveryRequest): Promise<SmsResult>;
  /** The sender's messages, newest first, in one request. */
  messages(query?: MessageListQuery): Promise<MessageList>;
  message(messageId: string): Promise<MessageStatus>;
  revoke(messageId: string): Promise<MessageStatus>;
}

function counting(total: number, onProgress: (sent: number, total: number) => void): TransformStream<Uint8Array, Uint8Array> {
  let sent = 0;
  return new TransformStream({
    transform(chunk, controller) {
      sent += chunk.length;
      onProgress(sent, total);
      controller.enqueue(chunk);
    },
  });
}

/** A bearer `token` (the extension, the CLI), or `credentials: 'same-origin'` and the session cookie (the toolbox). */
export function senderApi(options: HttpOptions & ({ token: string } | { credentials: 'same-origin' })): SenderApi {
  const http = createHttp(options);
  const path = (messageId: string) => `/messages/${encodeURIComponent(messageId)}`;
  return {
    me: () => http.json('GET', '/senders/me'),
    createMessage: (request) => http.json('POST', '/messages', request),
    async uploadPayload(messageId, index, body, { length, onProgress, signal }) {
      const streamed = body instanceof Blob ? body : onProgress ? body.pipeThrough(counting(length, onProgress)) : body;
      const init = {
        body: streamed,
        headers: { 'content-type': 'application/octet-stream', ...(body instanceof Blob ? {} : { 'content-length': String(length) }) },
        ...(body instanceof Blob ? {} : { duplex: 'half' }),
        ...(signal ? { signal } : {}),
      } as RequestInit;
      const result = await http.json<UploadResult>('PUT', `${path(messageId)}/payloads/${index}`, undefined, init);
      if (body instanceof Blob) onProgress?.(length, length);
      return result;
    },
    payloadUpload: (messageId, index) => http.json('GET', `${path(messageId)}/payloads/${index}`),
    putChunk(messageId, index, chunk, body, { length, signal }) {
      const init: RequestInit = {
        body: body as Uint8Array<ArrayBuffer> | Blob,
        headers: { 'content-type': 'application/octet-stream', 'content-range': chunkContentRange(length, chunk) },
        ...(signal ? { signal } : {}),
      };
      return http.json('PUT', `${path(messageId)}/payloads/${index}/chunks/${chunk}`, undefined, init);
    },
    sendSms: (messageId, request) => http.json('POST', `${path(messageId)}/sms`, request),
    relay: (messageId, request) => http.json('POST', `${path(messageId)}/deliveries`, request),
    messages(query = {}) {
      const search = new URLSearchParams();
      if (query.limit !== undefined) search.set('limit', String(query.limit));
      if (query.before !== undefined) search.set('before', query.before);
      const text = search.toString();
      return http.json('GET', `/messages${text ? `?${text}` : ''}`);
    },
    message: (messageId) => http.json('GET', path(messageId)),
    revoke: (messageId) => http.json('DELETE', path(messageId)),
  };
}
