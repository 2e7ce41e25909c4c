/**
 * Payloads to fetch, with what a recipient's browser holds after BankID: for Sigill, a
 * message anyone may read ("*"), verified through the embedded BankID simulator's test
 * app, which gives a release token bound to the browser's cookie; for the bare server,
 * the same payload and a release token row.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LoadRequest } from './http-load.js';
import { createBody, id } from './processes.js';

/** What one connection sends to fetch one payload (load() takes a list of them in turn). */
export interface Readable extends LoadRequest {
  headers: Record<string, string>;
}

const identity = { personalNumber: '199908072391' };
const json = { 'content-type': 'application/json' };

async function ok(response: Promise<Response>, what: string): Promise<Response> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${what}: HTTP ${answer.status} ${await answer.text()}`);
  return answer;
}

/** Stores `payload` as `count` messages in Sigill and verifies each once; the fetches. */
export async function seedSigillPayloads(sigill: { url: string; token: string; testAppUrl: string }, payload: Uint8Array<ArrayBuffer>, count: number): Promise<Readable[]> {
  const api = `${sigill.url}/api/v1`;
  const auth = { authorization: `Bearer ${sigill.token}` };
  const control = (path: string, body: unknown) => ok(fetch(`${sigill.testAppUrl}control/${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) }), `test app ${path.split('/')[0]}`);
  const readable: Readable[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = id();
    const linkId = id();
    const authKey = randomBytes(32);
    const authVerifier = createHash('sha256').update(authKey).digest('base64url');
    await ok(fetch(`${api}/messages`, { method: 'POST', headers: { ...auth, ...json }, body: createBody(messageId, linkId, payload.length, { authVerifier, tags: '*' }) }), 'create');
    await ok(fetch(`${api}/messages/${messageId}/payloads/0`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: payload }), 'upload');
    const started = await ok(fetch(`${api}/links/${linkId}/verifications`, { method: 'POST', headers: json, body: JSON.stringify({ authKey: authKey.toString('base64url') }) }), 'verification');
    const cookie = started.headers.getSetCookie()[0]!.split(';')[0]!;
    const { verificationId, autoStartToken } = (await started.json()) as { verificationId: string; autoStartToken: string };
    const { orderRef } = (await (await control('open', { autoStartToken, identity })).json()) as { orderRef: string };
    await control(`orders/${orderRef}/approve`, { identity });
    let state: { status: string; releaseToken?: string } = { status: 'pending' };
    for (let poll = 0; poll < 200 && state.status === 'pending'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = (await (await ok(fetch(`${api}/verifications/${verificationId}`, { headers: { cookie } }), 'poll')).json()) as typeof state;
    }
    if (!state.releaseToken) throw new Error(`the benchmark's verification ended ${state.status}`);
    readable.push({ method: 'GET', path: `/api/v1/links/${linkId}/payloads/0`, headers: { authorization: `Bearer ${state.releaseToken}`, cookie } });
  }
  return readable;
}

/** The same for the bare server: the payload and a release token row per link. */
export async function seedBarePayloads(url: string, payload: Uint8Array<ArrayBuffer>, count: number): Promise<Readable[]> {
  const readable: Readable[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = id();
    const linkId = id();
    const token = randomBytes(16).toString('base64url');
    await ok(fetch(`${url}/api/v1/messages`, { method: 'POST', headers: json, body: createBody(messageId, linkId, payload.length) }), 'bare create');
    await ok(fetch(`${url}/api/v1/messages/${messageId}/payloads/0`, { method: 'PUT', body: payload }), 'bare upload');
    await ok(fetch(`${url}/api/v1/links/${linkId}/release`, { method: 'POST', headers: json, body: JSON.stringify({ token }) }), 'bare release');
    // The same request headers as Sigill's (a browser cookie the bare server does not check).
    readable.push({ method: 'GET', path: `/api/v1/links/${linkId}/payloads/0`, headers: { authorization: `Bearer ${token}`, cookie: `sigill_browser=${randomBytes(16).toString('base64url')}` } });
  }
  return readable;
}
