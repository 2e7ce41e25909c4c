import type { ApiErrorBody } from '../shared/api.js';
import { ApiError } from './errors.js';

/**
 * The one place client/ talks HTTP: the base URL, the credentials, the JSON and error
 * handling. SenderApi and RecipientApi are thin typed layers over it.
 *
 * @example
 * const http = createHttp({ baseUrl: 'http://localhost:8787', token });
 * const status = await http.json<MessageStatus>('GET', `/messages/${messageId}`);
 */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** The server, `scheme://host[:port]`; '' for the page's own origin. */
  baseUrl: string;
  /** The sender's bearer token. */
  token?: string;
  /** Another fetch (a cookie jar in tests, an app.request()); default globalThis.fetch. */
  fetch?: Fetch;
  /** 'omit' for senders (no cookies), 'same-origin' for the recipient page's binding cookie. */
  credentials?: RequestCredentials;
}

export interface Http {
  request(method: string, path: string, init?: RequestInit): Promise<Response>;
  json<T>(method: string, path: string, body?: unknown, init?: RequestInit): Promise<T>;
}

export const apiPrefix = '/api/v1';

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as Partial<ApiErrorBody> | undefined;
  if (typeof body?.error?.code === 'string') {
    return new ApiError(response.status, body.error.code, typeof body.error.message === 'string' ? body.error.message : `the server answered ${response.status}`);
  }
  // Not the server's JSON error (a proxy's page, say): keep the status.
  if (response.status >= 500) return new ApiError(response.status, 'server_unavailable', `the server answered ${response.status}; try again later`);
  return new ApiError(response.status, 'unexpected_status', `the server answered ${response.status}`);
}

export function createHttp(options: HttpOptions): Http {
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, '') + apiPrefix;
  const request = async (method: string, path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
    let response: Response;
    try {
      response = await send(base + path, { ...init, method, headers, cache: 'no-store', credentials: options.credentials ?? 'omit', referrerPolicy: 'no-referrer' });
    } catch (error) {
      throw new ApiError(0, 'server_unreachable', 'the Sigill server could not be reached; check its address', { cause: error });
    }
    if (!response.ok) throw await failure(response);
    return response;
  };
  return {
    request,
    async json<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
      const withBody: RequestInit = body === undefined ? init : { ...init, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
      const response = await request(method, path, withBody);
      try {
        return (await response.json()) as T;
      } catch (error) {
        throw new ApiError(response.status, 'response_invalid', 'the server’s answer is not JSON', { cause: error });
      }
    },
  };
}
