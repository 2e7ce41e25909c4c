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
  /** One payload's ciphertext, streamed (needs the release token of an approved verification). */
  payload(linkId: string, index: number, releaseToken: string): Promise<ReadableStream<Uint8Array>>;
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
    async payload(linkId, index, releaseToken) {
      const response = await http.request('GET', `${link(linkId)}/payloads/${index}`, { headers: { authorization: `Bearer ${releaseToken}` } });
      if (!response.body) throw new ApiError(response.status, 'response_invalid', 'the payload came without a body');
      return response.body;
    },
  };
}
