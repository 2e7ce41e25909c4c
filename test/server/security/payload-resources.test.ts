/**
 * Issue 15 item 2: no payload response may keep a file (or an object-store request)
 * open after it ends. Over a real server process, the process's open descriptors
 * (/proc/<pid>/fd) are counted before and after: 500 HEADs on a 1 MiB payload, aborted
 * GETs, stalled GETs (a reader that stops reading; the server's stall timeout cuts it),
 * and again after the message is revoked. A small payload's file is kept open a few
 * seconds for its next read (server/store/open-files.ts): one descriptor however many
 * read it, closed when idle and at once on revoke. Checks whatever serves the route.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealedMessage } from '../../../shared/seal-message.js';
import { startBankIdSimulator, type BankIdSimulator } from '../../../server/bankid/index.js';
import { backends, type OpenedBackend } from '../backends.js';
import { simulatorEnv, startServerProcess, type CookieJar, type ServerProcess } from '../server-process.js';
import { sealWith, sendThrough, verifyThrough } from './real-flow.js';

const MiB = 1024 * 1024;
let simulator: BankIdSimulator;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-payload-resources-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
});
afterAll(async () => {
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

const openFiles = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Descriptors open on files under `folder` (the blob folder: exactly 0 once every response ended). */
function openFilesUnder(pid: number, folder: string): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(folder);
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

async function settledFilesUnder(pid: number, folder: string): Promise<number> {
  let count = openFilesUnder(pid, folder);
  for (let i = 0; i < 200 && count > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = openFilesUnder(pid, folder);
  }
  return count;
}

/** Waits for the count to come back to at most `limit` (sockets close a moment after their response). */
async function settledOpenFiles(pid: number, limit: number): Promise<number> {
  let count = openFiles(pid);
  for (let i = 0; i < 200 && count > limit; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = openFiles(pid);
  }
  return count;
}

/** One request on its own connection, closed after it. */
function send(url: string, method: string, headers: Record<string, string>, onResponse: (response: import('node:http').IncomingMessage, done: () => void) => void) {
  return new Promise<void>((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, connection: 'close' }, agent: false }, (response) => onResponse(response, resolve));
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
    req.end();
  });
}

describe.each(backends)('[$name] payload responses over a real server process', (backend) => {
  let server: ServerProcess;
  let opened: OpenedBackend;
  let sealed: SealedMessage;
  let linkId: string;
  let releaseToken: string;
  let browser: CookieJar;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(root, backend.name);
    opened = await backend.open(dataDir);
    server = await startServerProcess({
      ...simulatorEnv(simulator),
      ...opened.env,
      SIGILL_DATA_DIR: dataDir,
      SIGILL_COLLECT_INTERVAL_MS: '100',
      SIGILL_DEMO_SENDER: 'true',
      SIGILL_STALL_TIMEOUT_SECONDS: '2',
    });
    sealed = await sealWith([MiB, 16 * MiB]);
    await sendThrough(server, sealed);
    ({ browser, linkId, releaseToken } = await verifyThrough(server, simulator, sealed));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await opened?.close();
  });

  const headers = () => ({ authorization: `Bearer ${releaseToken}`, cookie: browser.cookie });
  const payloadUrl = (index: number) => `${server.url}/api/v1/links/${linkId}/payloads/${index}`;

  it('leaves the open-file count unchanged after 500 HEADs, aborted and stalled GETs, and after revoke', async () => {
    const pid = server.child.pid!;
    // Ten whole GETs at once first, so what the process keeps open for ten requests at a
    // time (database pool, object-store connections) is open before counting.
    await Promise.all(
      Array.from({ length: 10 }, () =>
        send(payloadUrl(1), 'GET', headers(), (response, done) => {
          expect(response.statusCode).toBe(200);
          response.resume().on('end', done);
        }),
      ),
    );
    const baseline = await settledOpenFiles(pid, 0);
    // Pools may open a connection or two more under load; a leak is one per request.
    const slack = 8;
    // The blob folder's files are counted exactly (on S3 a leak is a socket, counted above).
    const blobFolder = join(dataDir, 'blobs');
    const released = async (what: string) => {
      expect(await settledOpenFiles(pid, baseline + slack), `${what}: open files`).toBeLessThanOrEqual(baseline + slack);
      expect(await settledFilesUnder(pid, blobFolder), `${what}: blob files`).toBe(0);
    };

    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          send(payloadUrl(1), 'HEAD', headers(), (response, done) => {
            expect(response.statusCode).toBe(200);
            expect(response.headers['content-length']).toBe(String(sealed.request.payloads[1]!.length));
            response.resume().on('end', done);
          }),
        ),
      );
    }
    await released('after 500 HEADs');

    // Readers that go away after the first bytes.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        send(payloadUrl(2), 'GET', headers(), (response, done) => {
          response.once('data', () => {
            response.destroy();
            done();
          });
        }),
      ),
    );
    await released('after aborted GETs');

    // Readers that stop reading and never go away: the server's stall timeout (2 s here) cuts them.
    const stalled: import('node:http').IncomingMessage[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        send(payloadUrl(2), 'GET', headers(), (response, done) => {
          response.once('data', () => {
            response.pause();
            stalled.push(response);
            done();
          });
        }),
      ),
    );
    expect(openFiles(pid)).toBeGreaterThan(baseline + slack);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await released('after stalled GETs');
    for (const response of stalled) response.destroy();

    // The message's own small payload, read whole: 200 GETs share one descriptor, closed when idle.
    const getSmall = () =>
      Promise.all(
        Array.from({ length: 10 }, () =>
          send(payloadUrl(0), 'GET', headers(), (response, done) => {
            expect(response.statusCode).toBe(200);
            response.resume().on('end', done);
          }),
        ),
      );
    for (let batch = 0; batch < 20; batch++) await getSmall();
    expect(openFilesUnder(pid, blobFolder)).toBeLessThanOrEqual(1);
    await released('after 200 GETs of a small payload, once idle');

    // HEADs and small GETs again, then revoke: nothing of them is left open either, the
    // small payload's kept descriptor closing with the revoke, not seconds later when idle.
    await getSmall();
    await Promise.all(Array.from({ length: 50 }, () => send(payloadUrl(1), 'HEAD', headers(), (response, done) => response.resume().on('end', done))));
    const revoked = await fetch(`${server.url}/api/v1/messages/${sealed.request.messageId}`, { method: 'DELETE', headers: { authorization: `Bearer ${server.token}` } });
    expect(revoked.status).toBe(200);
    // Well within the idle time (5 s): the revoke itself closed it.
    for (let wait = 0; wait < 20 && openFilesUnder(pid, blobFolder) > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFilesUnder(pid, blobFolder), 'right after revoke: blob files').toBe(0);
    await released('after revoke');
  }, 120_000);
});
