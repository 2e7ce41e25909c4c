import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Target } from './targets.js';

/**
 * One POST to a checked target, connecting to its pinned address while the Host header
 * and TLS name (SNI, certificate check) stay the URL's host. Redirects are not followed
 * (a 3xx is a failure, as Standard Webhooks says); the answer's body is read and dropped.
 * The outcome is the status code, or a short failure code.
 */
export type SendOutcome = { status: number; retryAfterMs: number | null } | { failure: 'timeout' | 'connection_failed' };

export const sendTimeoutMs = 15_000;

export function postTo(target: Target, headers: Record<string, string>, body: string, timeoutMs = sendTimeoutMs): Promise<SendOutcome> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const { url } = target;
  const options: RequestOptions = {
    method: 'POST',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: url.pathname + url.search,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Sigill-Webhooks/1' },
    lookup: pinned,
    agent: false,
  };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options, (response) => {
      const retryAfter = Number(response.headers['retry-after']);
      response.resume();
      response.once('end', () => settle({ status: response.statusCode ?? 0, retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null }));
      response.once('error', () => settle({ failure: 'connection_failed' }));
    });
    const timer = setTimeout(() => {
      request.destroy();
      settle({ failure: 'timeout' });
    }, timeoutMs);
    request.once('error', () => settle({ failure: 'connection_failed' }));
    request.end(body);
  });
}
