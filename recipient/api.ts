import type { ApiErrorBody, LinkInfo, VerificationState } from '../shared/api.js';

/**
 * The recipient's HTTP protocol (PROTOCOL.md §8), same-origin, so the browser binding
 * cookie goes along. Failures are typed: `ApiError` carries the server's stable code;
 * `NetworkError` means no usable answer (offline, a proxy's 5xx page). Nothing here
 * ever carries the link's secret; K_auth goes only in the verification start body.
 *
 * @example
 * const info = await getLink(linkId);
 * const { verificationId, autoStartToken } = await startVerification(linkId, authKey);
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`the server answered ${status} ${code}`);
  }
}

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(options?: ErrorOptions) {
    super('no usable answer from the server', options);
  }
}

const base = '/api/v1';

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(base + path, { ...init, cache: 'no-store', credentials: 'same-origin', referrerPolicy: 'no-referrer' });
  } catch (error) {
    throw new NetworkError({ cause: error });
  }
  if (response.ok) return response;
  if (response.status >= 500) throw new NetworkError();
  const body = (await response.json().catch(() => undefined)) as Partial<ApiErrorBody> | undefined;
  throw new ApiError(response.status, typeof body?.error?.code === 'string' ? body.error.code : 'unexpected_status');
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await send(path, init);
  try {
    return (await response.json()) as T;
  } catch (error) {
    throw new NetworkError({ cause: error });
  }
}

export function getLink(linkId: string): Promise<LinkInfo> {
  return json(`/links/${linkId}`);
}

export function startVerification(linkId: string, authKey: string, personalNumber?: string): Promise<{ verificationId: string; autoStartToken: string }> {
  return json(`/links/${linkId}/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(personalNumber ? { authKey, personalNumber } : { authKey }),
  });
}

export function pollVerification(verificationId: string): Promise<VerificationState> {
  return json(`/verifications/${verificationId}`);
}

export async function cancelVerification(verificationId: string): Promise<void> {
  await send(`/verifications/${verificationId}`, { method: 'DELETE' });
}

/** One payload's ciphertext as a stream (PROTOCOL.md §8.4). */
export async function getPayload(linkId: string, index: number, releaseToken: string): Promise<ReadableStream<Uint8Array>> {
  const response = await send(`/links/${linkId}/payloads/${index}`, { headers: { authorization: `Bearer ${releaseToken}` } });
  if (!response.body) throw new NetworkError();
  return response.body;
}
