/**
 * The sender API of the configured server, with the sender's bearer token. Errors come
 * back as ExtensionError with the server's own code (`{"error":{"code","message"}}`),
 * or `server_unreachable`. No token or link is ever put in an error.
 *
 * @example
 * const api = serverApi(serverUrl, token);
 * await api.json('POST', '/api/v1/messages', request);
 */
import type { MessageStatus } from '../../shared/api.js';
import { ExtensionError } from '../messages.js';

export interface ServerApi {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  upload(path: string, body: Blob): Promise<void>;
  message(messageId: string): Promise<MessageStatus>;
}

async function failure(response: Response): Promise<ExtensionError> {
  let code = `http_${response.status}`;
  let message = `the server answered ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not the server's JSON error (a proxy's page, say): keep the status.
  }
  return new ExtensionError(code, message);
}

export function serverApi(serverUrl: string, token: string): ServerApi {
  const call = async (method: string, path: string, init: RequestInit = {}): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(serverUrl + path, {
        ...init,
        method,
        credentials: 'omit',
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
      });
    } catch {
      throw new ExtensionError('server_unreachable', 'the Sigill server could not be reached; check the address in the options');
    }
    if (!response.ok) throw await failure(response);
    return response;
  };
  return {
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const init: RequestInit = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
      return (await (await call(method, path, init)).json()) as T;
    },
    async upload(path, body) {
      await call('PUT', path, { body, headers: { 'content-type': 'application/octet-stream' } });
    },
    async message(messageId) {
      return this.json<MessageStatus>('GET', `/api/v1/messages/${messageId}`);
    },
  };
}
