/**
 * The CLI's HTTP transport: client/'s requests over node:http and node:https. The sender
 * API's bodies are JSON text or a chunk of ciphertext (a Uint8Array), and its answers are
 * small JSON; node's fetch (undici) holds extra copies of large request bodies, which the
 * `sigill send` memory target cannot afford (bench/cli.ts). Any other body (a stream)
 * goes through globalThis.fetch. Keep-alive agents reuse connections, as fetch does.
 *
 * @example
 * const api = senderApi({ baseUrl, token, fetch: nodeFetch });
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function nodeFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return globalThis.fetch(input, init);
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  const bytes = typeof body === 'string' ? Buffer.from(body) : body ?? undefined;
  if (bytes) headers['content-length'] = String(bytes.length);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (response: IncomingMessage) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('error', reject);
      response.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        const answer = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) answer.append(name, one);
        }
        const status = response.statusCode ?? 0;
        const content = status === 204 || status === 304 || init.method === 'HEAD' ? null : Buffer.concat(parts);
        resolve(new Response(content, { status, statusText: response.statusMessage ?? '', headers: answer }));
      });
    });
    const onAbort = () => {
      request.destroy();
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // fetch's shape of a connection failure: a TypeError whose cause has the system's code.
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new TypeError('fetch failed', { cause: error }));
    });
    request.end(bytes);
  });
}
