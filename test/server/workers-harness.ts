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
import { parseLink } from '../../shared/link.js';
import { generateReceiptKeyPair } from '../../shared/receipts.js';
import { sealMessage, type SealedMessage } from '../../shared/seal-message.js';
import { ApiError } from '../../client/errors.js';
import { openLink, startReading, waitForVerification } from '../../client/read.js';
import { recipientApi } from '../../client/recipient-api.js';
import { createAndUpload } from '../../client/send.js';
import { senderApi } from '../../client/sender-api.js';
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

/** Creates and uploads `sealed` through client/ on fresh connections; every answer, in order. */
export async function store(server: ServerProcess, sealed: SealedMessage): Promise<Response[]> {
  const responses: Response[] = [];
  const recording = async (url: string, init?: RequestInit) => {
    const response = await freshFetch(url, init);
    responses.push(response);
    return response;
  };
  try {
    await createAndUpload(senderApi({ baseUrl: server.url, token: server.token ?? '', fetch: recording }), sealed);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 0) throw error; // no answer: a connection the killed worker held
  }
  return responses;
}

/**
 * A recipient in one browser, through client/'s reading flow: verifies through whichever
 * workers answer, approving in the test app over HTTP. Returns every answer, to see which
 * worker gave it; stops at the first refusal.
 */
export async function read(server: ServerProcess & { testAppUrl: string }, sealed: SealedMessage, { startOnly = false } = {}) {
  const responses: Response[] = [];
  const browser = new CookieJar(freshFetch);
  const api = recipientApi({
    baseUrl: server.url,
    fetch: async (url, init) => {
      const response = await browser.fetch(url, init);
      responses.push(response.clone());
      return response;
    },
  });
  const refused = (error: unknown) => {
    if (!(error instanceof ApiError) || error.status === 0) throw error;
  };
  const link = parseLink(sealed.links[0]!);
  const opened = await openLink(api, encodeBase64url(link.linkId), link.secret).catch(refused);
  const info = responses[0]!;
  if (!opened) return { info };
  const started = await startReading(api, opened).catch(refused);
  if (!started || startOnly) return { info, started: responses[1]! };
  const control = (path: string, body: unknown) => freshFetch(`${server.testAppUrl}control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const identity = { personalNumber: '199908072391' };
  const { orderRef } = (await (await control('open', { autoStartToken: started.autoStartToken, identity })).json()) as { orderRef: string };
  expect((await control(`orders/${orderRef}/approve`, { identity })).status).toBeLessThan(300);
  const state = await waitForVerification(api, started.verificationId, { intervalMs: 100, timeoutMs: 10_000 });
  const polls = responses.slice(2);
  if (state.status !== 'approved') return { info, started: responses[1]!, polls, state };
  await new Response(await api.payload(opened.linkId, 1, state.releaseToken)).arrayBuffer();
  return { info, started: responses[1]!, polls, state, payload: responses.at(-1)! };
}
