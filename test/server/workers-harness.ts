/**
 * Helpers for the tests of `npm start` with several workers: a fetch on a connection of
 * its own (so the primary hands consecutive requests to different workers), the request
 * log (which names its worker), the primary's worker processes, and a sender's and a
 * recipient's whole flow over real HTTP with the BankID test app's control API.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import { encodeBase64url } from '../../shared/base64url.js';
import { deriveKeys } from '../../shared/keys.js';
import { parseLink } from '../../shared/link.js';
import { generateReceiptKeyPair } from '../../shared/receipts.js';
import { sealMessage, type SealedMessage } from '../../shared/seal-message.js';
import { CookieJar, startServerProcess, type ServerProcess } from './server-process.js';

/** fetch on a new connection each time (no keep-alive), so requests spread over the workers. */
export async function freshFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const body = init.body === undefined || init.body === null ? undefined : Buffer.from(await new Response(init.body).arrayBuffer());
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const outgoing = httpRequest(url, { method: init.method ?? 'GET', headers, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        const status = incoming.statusCode ?? 0;
        resolve(new Response([101, 204, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
      });
    });
    outgoing.on('error', reject);
    // A connection the primary was handing to a worker as it was killed never answers.
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('timed out')));
    outgoing.end(body);
  });
}

export interface LogLine {
  worker: number;
  pid: number;
  requestId?: string;
  route?: string;
  status?: number;
  event?: string;
}

export function logLines(server: ServerProcess): LogLine[] {
  return server.output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

export function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/** The primary's worker processes. */
export function workerPids(server: ServerProcess): number[] {
  // Only the workers: the primary may also have a child of tsx's (esbuild).
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(server.child.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('server/main.ts'))
    .map((line) => Number.parseInt(line.trim(), 10));
}

/** Which worker answered the response (its X-Request-Id in the request log). */
export async function workerOf(server: ServerProcess, response: Response): Promise<number> {
  const requestId = response.headers.get('x-request-id');
  for (let i = 0; i < 50; i++) {
    const line = logLines(server).find((entry) => entry.requestId === requestId);
    if (line) return line.pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log line for request ${requestId}`);
}

export async function startWorkers(root: string, name: string, env: Record<string, string> = {}): Promise<ServerProcess & { testAppUrl: string }> {
  const server = await startServerProcess({ SIGILL_DATA_DIR: join(root, name), SIGILL_WORKERS: '2', SIGILL_LOG_LEVEL: 'info', SIGILL_DEMO_SENDER: 'true', ...env });
  const testAppUrl = /BankID test app\s+(\S+)/.exec(server.output.join(''))![1]!;
  return Object.assign(server, { testAppUrl });
}

export async function seal(readLimit?: number): Promise<SealedMessage> {
  return sealMessage({
    origin: 'http://localhost:8787',
    errand: 'Beslut från socialtjänsten',
    text: 'Beslutet finns i bilagan.',
    attachments: [{ name: 'beslut.txt', type: 'text/plain', size: 2000, open: () => new Blob([new Uint8Array(2000).fill(7)]).stream() }],
    recipients: [{ readers: ['se-pnr:199908072391'] }],
    receiptKey: (await generateReceiptKeyPair()).receiptKey,
    ...(readLimit === undefined ? {} : { readLimit }),
  });
}

/** Creates and uploads `sealed` on fresh connections; the responses, in order. */
export async function store(server: ServerProcess, sealed: SealedMessage): Promise<Response[]> {
  const auth = { authorization: `Bearer ${server.token}` };
  const responses = [
    await freshFetch(`${server.url}/api/v1/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(sealed.request) }),
  ];
  for (const payload of sealed.payloads) {
    const body = new Uint8Array(await new Response(payload.stream()).arrayBuffer());
    responses.push(await freshFetch(`${server.url}/api/v1/messages/${sealed.request.messageId}/payloads/${payload.index}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body }));
  }
  return responses;
}

/** A recipient in one browser: verifies through whichever workers answer, approving in the test app over HTTP. */
export async function read(server: ServerProcess & { testAppUrl: string }, sealed: SealedMessage, { startOnly = false } = {}) {
  const link = parseLink(sealed.links[0]!);
  const linkId = encodeBase64url(link.linkId);
  const browser = new CookieJar(freshFetch);
  const info = await browser.fetch(`${server.url}/api/v1/links/${linkId}`);
  if (info.status !== 200) return { info };
  const { messageId } = (await info.json()) as { messageId: string };
  const authKey = encodeBase64url(deriveKeys(link.secret, Buffer.from(messageId, 'base64url')).auth);
  const started = await browser.fetch(`${server.url}/api/v1/links/${linkId}/verifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authKey }) });
  if (started.status !== 201 || startOnly) return { info, started };
  const { verificationId, autoStartToken } = (await started.json()) as { verificationId: string; autoStartToken: string };
  const control = (path: string, body: unknown) => freshFetch(`${server.testAppUrl}control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const identity = { personalNumber: '199908072391' };
  const { orderRef } = (await (await control('open', { autoStartToken, identity })).json()) as { orderRef: string };
  expect((await control(`orders/${orderRef}/approve`, { identity })).status).toBeLessThan(300);
  let state: { status: string; releaseToken?: string } = { status: 'pending' };
  const polls: Response[] = [];
  for (let i = 0; i < 100 && state.status === 'pending'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const poll = await browser.fetch(`${server.url}/api/v1/verifications/${verificationId}`);
    polls.push(poll);
    state = (await poll.clone().json()) as typeof state;
  }
  const payload = state.releaseToken ? await browser.fetch(`${server.url}/api/v1/links/${linkId}/payloads/1`, { headers: { authorization: `Bearer ${state.releaseToken}` } }) : undefined;
  return { info, started, polls, state, payload };
}
