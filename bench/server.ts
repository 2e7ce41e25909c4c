/**
 * Server throughput: message create + 64 KiB upload, and link fetch, at 50 connections
 * on loopback, beside a bare node:http server doing the same libsql and file work
 * (bare-server.ts), measured in the same run. Both servers run as child processes;
 * wrk drives the link fetch when it is on PATH (wrk-load.ts), http-load.ts from this
 * process the rest.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateMessageRequest } from '../shared/api.js';
import { sealedLength } from '../shared/stream.js';
import { senderApi } from '../client/sender-api.js';
import type { LoadRequest, NextRequest } from './http-load.js';
import { takeTurns } from './report.js';
import { cpuProfile, createBody, id, load, report, rounds, startChild, startSigill } from './processes.js';

// scale-out.ts takes these from here.
export { connections, load, startChild, type Result } from './processes.js';

export const uploadBody = randomBytes(sealedLength(65_536 - 16));

/** Each connection: POST a message, then PUT its 64 KiB payload; again. */
export function createAndUpload(prefix: string, headers: Record<string, string> = {}): NextRequest {
  const json = { ...headers, 'content-type': 'application/json' };
  const binary = { ...headers, 'content-type': 'application/octet-stream' };
  return (context) => {
    const created = context.messageId as string | undefined;
    if (created === undefined) {
      const messageId = id();
      context.messageId = messageId;
      return { method: 'POST', path: `${prefix}/messages`, headers: json, body: createBody(messageId, id(), uploadBody.length) };
    }
    context.messageId = undefined;
    return { method: 'PUT', path: `${prefix}/messages/${created}/payloads/0`, headers: binary, body: uploadBody };
  };
}

/** Creates links to read through client/'s SenderApi (the bare server ignores the token), and returns their ids. */
export async function seedLinks(url: string, token: string, count: number): Promise<string[]> {
  const api = senderApi({ baseUrl: url, token });
  const linkIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = id();
    const linkId = id();
    await api.createMessage(JSON.parse(createBody(messageId, linkId, uploadBody.length)) as CreateMessageRequest);
    await api.uploadPayload(messageId, 0, new Blob([uploadBody]), { length: uploadBody.length });
    linkIds.push(linkId);
  }
  return linkIds;
}

/** A link fetch for each link (load() takes them in turn). */
export function linkFetches(prefix: string, linkIds: string[]): LoadRequest[] {
  return linkIds.map((linkId) => ({ method: 'GET', path: `${prefix}/links/${linkId}` }));
}

export async function benchServer(): Promise<boolean> {
  const root = mkdtempSync(join(tmpdir(), 'sigill-bench-'));
  const sigill = await startSigill(join(root, 'sigill'), 1);
  const bare = await startChild(['bench/bare-server.ts', join(root, 'bare')], {}, /listening/, cpuProfile);
  try {
    const auth = { authorization: `Bearer ${sigill.token}` };
    const prefix = '/api/v1';
    let allMet = true;

    const writes = await takeTurns(
      rounds,
      { rounds: 1 },
      () => load(bare, createAndUpload(prefix)),
      () => load(sigill, createAndUpload(prefix, auth)),
    );
    allMet = report('create + 64 KiB upload', writes, { rps: 0.5, p99: 0.5 }) && allMet;

    const bareLinks = await seedLinks(bare.url, 'none', 200);
    const sigillLinks = await seedLinks(sigill.url, sigill.token, 200);
    const reads = await takeTurns(
      rounds,
      { rounds: 1 },
      () => load(bare, linkFetches(prefix, bareLinks)),
      () => load(sigill, linkFetches(prefix, sigillLinks)),
    );
    allMet = report('link fetch', reads, { rps: 0.5, p99: 0.5 }) && allMet;
    return allMet;
  } finally {
    sigill.stop();
    bare.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
