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

/** Ends the session on the server (DELETE /api/v1/session), which clears the cookie. */
export async function endSession(): Promise<void> {
  await fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' });
}
