/**
 * The toolbox's SenderApi: client/'s, on this page's origin, signed in by the session
 * cookie (HttpOnly, set by the sign-in), never a token the page could leak.
 *
 * @example
 * const { name, origin } = await api.me();
 */
import { ApiError, senderApi } from '../client/index.js';

export const api = senderApi({ baseUrl: '', credentials: 'same-origin' });

export { ApiError };

/** The session is gone (expired, signed out elsewhere): show the sign-in. */
export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export function isNetworkProblem(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.code === 'server_unavailable');
}
