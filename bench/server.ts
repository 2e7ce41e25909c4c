/**
 * Server throughput: message create + 64 KiB upload, and link fetch, at 50 connections
 * on loopback, beside a bare node:http server doing the same libsql and file work
 * (bare-server.ts), measured in the same run. Both servers run as child processes;
 * autocannon drives them from this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { CreateMessageRequest } from '../shared/api.js';
import { sealedLength } from '../shared/stream.js';
import { senderApi } from '../client/sender-api.js';
import { median, printRatio, takeTurns } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
/** Bare and Sigill take turns this many times, in short rounds (takeTurns). */
const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
export const connections = 50;
const uploadBody = randomBytes(sealedLength(65_536 - 16));
const id = () => randomBytes(16).toString('base64url');

function createBody(messageId: string, linkId: string): string {
  return JSON.stringify({
    messageId,
    errand: randomBytes(80).toString('base64url'),
    authVerifier: randomBytes(32).toString('base64url'),
    receiptKey: randomBytes(32).toString('base64url'),
    payloads: [{ index: 0, length: uploadBody.length }],
    recipients: [{ linkId, tags: [randomBytes(32).toString('base64url')] }],
  });
}

/** Starts a server process; ready once its output matches `ready`. */
export async function startChild(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; url: string; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // npm start prints http://localhost:<port>; the load goes to the address it listens on.
      const url = /(http:\/\/(?:[\d.]+|localhost):\d+)/.exec(output)?.[1]?.replace('//localhost:', '//127.0.0.1:');
      if (url && ready.test(output)) resolve({ child, url, output });
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code})`)));
  });
}

export interface Result {
  rps: number;
  p99: number;
}

export async function load(url: string, requests: autocannon.Request[], headers: Record<string, string> = {}, connectionCount = connections): Promise<Result> {
  const result = await autocannon({ url, connections: connectionCount, duration: seconds, requests, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`benchmark requests failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/** Each connection: POST a message, then PUT its 64 KiB payload. */
export function createAndUpload(prefix: string): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: `${prefix}/messages`,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request, context) => {
        const messageId = id();
        (context as { messageId?: string }).messageId = messageId;
        return { ...request, body: createBody(messageId, id()) };
      },
    },
    {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      setupRequest: (request, context) => ({ ...request, path: `${prefix}/messages/${(context as { messageId?: string }).messageId}/payloads/0`, body: uploadBody }),
    },
  ];
}

/** Creates links to read through client/'s SenderApi (the bare server ignores the token), and returns their ids. */
export async function seedLinks(url: string, token: string, count: number): Promise<string[]> {
  const api = senderApi({ baseUrl: url, token });
  const linkIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = id();
    const linkId = id();
    await api.createMessage(JSON.parse(createBody(messageId, linkId)) as CreateMessageRequest);
    await api.uploadPayload(messageId, 0, new Blob([uploadBody]), { length: uploadBody.length });
    linkIds.push(linkId);
  }
  return linkIds;
}

export function linkFetches(prefix: string, linkIds: string[]): autocannon.Request[] {
  let next = 0;
  return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `${prefix}/links/${linkIds[next++ % linkIds.length]}` }) }];
}

/**
 * Two lines: requests per second (Sigill / bare) and p99 latency (bare / Sigill), each
 * against ≥ 0.5×. The figures are medians over the rounds; the ratio is the median of
 * the rounds' ratios.
 */
function report(name: string, pairs: [bare: Result, ours: Result][]): boolean {
  const rate = (rps: number) => `${rps.toFixed(0).padStart(6)} req/s`;
  const p99 = (ms: number) => `${String(ms).padStart(6)} ms p99`;
  const mid = (pick: (pair: [Result, Result]) => number) => median(pairs.map(pick));
  const throughput = printRatio(`${name}, throughput`, rate(mid(([, ours]) => ours.rps)), rate(mid(([bare]) => bare.rps)), mid(([bare, ours]) => ours.rps / bare.rps), 0.5);
  const latency = printRatio(`${name}, p99 latency`, p99(mid(([, ours]) => ours.p99)), p99(mid(([bare]) => bare.p99)), mid(([bare, ours]) => bare.p99 / ours.p99), 0.5);
  return throughput && latency;
}

export async function benchServer(): Promise<boolean> {
  const root = mkdtempSync(join(tmpdir(), 'sigill-bench-'));
  const sigill = await startChild(['server/main.ts'], { PORT: '0', SIGILL_WORKERS: '1', SIGILL_DATA_DIR: join(root, 'sigill'), SIGILL_LOG_LEVEL: 'warn', SIGILL_DEMO_SENDER: 'true' }, /sgl_[A-Za-z0-9_-]{43}/);
  const bare = await startChild(['bench/bare-server.ts', join(root, 'bare')], {}, /listening/);
  try {
    const token = /(sgl_[A-Za-z0-9_-]+)/.exec(sigill.output)![1]!;
    const auth = { authorization: `Bearer ${token}` };
    const prefix = '/api/v1';
    let allMet = true;

    const writes = await takeTurns(
      rounds,
      { rounds: 1 },
      () => load(bare.url, createAndUpload(prefix)),
      () => load(sigill.url, createAndUpload(prefix), auth),
    );
    allMet = report('create + 64 KiB upload', writes) && allMet;

    const bareLinks = await seedLinks(bare.url, 'none', 200);
    const sigillLinks = await seedLinks(sigill.url, token, 200);
    const reads = await takeTurns(
      rounds,
      { rounds: 1 },
      () => load(bare.url, linkFetches(prefix, bareLinks)),
      () => load(sigill.url, linkFetches(prefix, sigillLinks)),
    );
    allMet = report('link fetch', reads) && allMet;
    return allMet;
  } finally {
    sigill.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}
