import { ApiError } from '../client/errors.js';
import { recipientApi } from '../client/recipient-api.js';

/**
 * This page's side of the recipient protocol: client/'s RecipientApi, same-origin, so
 * the browser binding cookie goes along. Failures are ApiError with the server's stable
 * code; `isNetworkProblem` tells apart no usable answer (offline, a proxy's or the
 * server's 5xx), which the page retries. Nothing here carries the link's secret.
 *
 * @example
 * const info = await api.link(linkId);
 * if (isNetworkProblem(error)) showRetry();
 */
export const api = recipientApi({ baseUrl: '', credentials: 'same-origin' });

export { ApiError };

export function isNetworkProblem(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500 || error.code === 'response_invalid';
  return error instanceof TypeError;
}
