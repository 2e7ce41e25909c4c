import type { LinkInfo, StartVerificationRequest, VerificationStarted, VerificationState } from '../shared/api.js';
import { ApiError } from './errors.js';
import { createHttp, type HttpOptions } from './http.js';

/**
 * The recipient's HTTP protocol (PROTOCOL.md §8), typed by shared/api/. The recipient
 * page calls it same-origin (baseUrl '', credentials 'same-origin') so the browser
 * binding cookie goes along; tests pass a fetch with a cookie jar. Nothing here carries
 * the link's secret; K_auth goes only in the verification start body.
 *
 * @example
 * const api = recipientApi({ baseUrl: '', credentials: 'same-origin' });
 * const info = await api.link(linkId);
 * const { verificationId } = await api.startVerification(linkId, { authKey });
 */
export interface RecipientApi {
  link(linkId: string): Promise<LinkInfo>;
  startVerification(linkId: string, request: StartVerificationRequest): Promise<VerificationStarted>;
  verification(verificationId: string): Promise<VerificationState>;
  cancelVerification(verificationId: string): Promise<void>;
  /**
   * One payload's ciphertext, streamed (needs the release token of an approved
   * verification); from byte `start` on, a multiple of a sealed segment, to resume.
   */
  payload(linkId: string, index: number, releaseToken: string, options?: { start?: number }): Promise<ReadableStream<Uint8Array>>;
}

export function recipientApi(options: HttpOptions): RecipientApi {
  const http = createHttp(options);
  const link = (linkId: string) => `/links/${encodeURIComponent(linkId)}`;
  const verification = (verificationId: string) => `/verifications/${encodeURIComponent(verificationId)}`;
  return {
    link: (linkId) => http.json('GET', link(linkId)),
    startVerification: (linkId, request) => http.json('POST', `${link(linkId)}/verifications`, request),
    verification: (verificationId) => http.json('GET', verification(verificationId)),
    async cancelVerification(verificationId) {
      await http.request('DELETE', verification(verificationId));
    },
    async payload(linkId, index, releaseToken, { start = 0 } = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${releaseToken}` };
      if (start > 0) headers.range = `bytes=${start}-`;
      const response = await http.request('GET', `${link(linkId)}/payloads/${index}`, { headers });
      if (!response.body) throw new ApiError(response.status, 'response_invalid', 'the payload came without a body');
      // A server (or proxy) that ignored the Range would hand over the bytes from 0 in their place.
      if (start > 0 && !(response.status === 206 && response.headers.get('content-range')?.startsWith(`bytes ${start}-`))) {
        await response.body.cancel();
        throw new ApiError(response.status, 'response_invalid', 'the server did not answer the range asked for');
      }
      return response.body;
    },
  };
}
