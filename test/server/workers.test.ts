/**
 * `npm start` with several workers (issue 17): real server processes on the embedded
 * defaults (one BankID simulator, started by the primary, serves every worker). Every
 * request goes on a connection of its own, so the primary hands consecutive requests to
 * different workers; the request log (which names its worker) says which one answered.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealedMessage } from '../../shared/seal-message.js';
import type { ServerProcess } from './server-process.js';
import { freshFetch, logLines, read, readlinkSafe, seal, startWorkers as startIn, store, workerOf, workerPids } from './workers-harness.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sigill-workers-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const startWorkers = (name: string, env: Record<string, string> = {}) => startIn(root, name, env);

describe('npm start with two workers', () => {
  let server: ServerProcess & { testAppUrl: string };
  beforeAll(async () => {
    server = await startWorkers('two', { SIGILL_COLLECT_INTERVAL_MS: '100', SIGILL_RATE_STARTS_PER_IP: '4' });
  }, 90_000);
  afterAll(async () => server?.stop(), 60_000);

  it('prints one short start-up text, saying it is a development server with two workers', () => {
    const text = server.output.join('').split('\n').filter((line) => !line.startsWith('{'));
    expect(text[0]).toMatch(/^Sigill is running at http:\/\/localhost:\d+ {2}\(2 workers\)$/);
    expect(text.join('\n')).toContain('DEVELOPMENT SERVER');
    expect(text.filter((line) => line.startsWith('Sigill is running'))).toHaveLength(1);
    expect(text.length).toBeLessThanOrEqual(22);
  });

  it('names the worker in every log line (1 and 2 for the workers, 0 for the primary)', async () => {
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await freshFetch(`${server.url}/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA`));
    await Promise.all(responses.map((response) => workerOf(server, response))); // their lines are written
    const lines = logLines(server);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.every((line) => [0, 1, 2].includes(line.worker) && typeof line.pid === 'number')).toBe(true);
    expect(new Set(lines.filter((line) => line.requestId).map((line) => line.worker))).toEqual(new Set([1, 2]));
  });

  it('a message created through one worker opens through another, and the outbox shows SMS relayed by either', async () => {
    const sealed = await seal();
    const [created, ...uploads] = await store(server, sealed);
    expect([created!.status, ...uploads.map((response) => response.status)]).toEqual([201, 200, 200]);
    const creator = await workerOf(server, created!);

    const result = await read(server, sealed);
    expect(result.state?.status).toBe('approved');
    expect(result.payload?.status).toBe(200);
    const readers = await Promise.all([result.info, result.started!, ...result.polls!, result.payload!].map((response) => workerOf(server, response)));
    expect(readers.some((pid) => pid !== creator)).toBe(true);
    expect(new Set([creator, ...readers]).size).toBe(2);

    const linkId = sealed.request.recipients[0]!.linkId;
    const texts: string[] = [];
    const relayers = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const text = `SMS ${i}: ${sealed.links[0]}`;
      const relayed = await freshFetch(`${server.url}/api/v1/messages/${sealed.request.messageId}/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ linkId, to: '0701234567', text }),
      });
      expect(relayed.status).toBe(202);
      relayers.add(await workerOf(server, relayed));
      texts.push(text);
    }
    expect(relayers.size).toBe(2);
    for (let i = 0; i < 2; i++) {
      const outbox = await freshFetch(`${server.url}/dev/outbox.json`);
      const { sms } = (await outbox.json()) as { sms: { text: string }[] };
      expect(sms.map((entry) => entry.text).filter((text) => text.startsWith('SMS ')).sort()).toEqual(texts);
    }
  });

  it('holds rate limits and read limits across workers', async () => {
    const sealed = await seal(1);
    await store(server, sealed);
    const first = await read(server, sealed);
    expect(first.payload?.status).toBe(200);
    // The read limit of 1 is spent: every worker now refuses the link.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await freshFetch(`${server.url}/api/v1/links/${sealed.request.recipients[0]!.linkId}`));
    expect(answers.map((response) => response.status)).toEqual([410, 410, 410, 410]);
    expect(new Set(await Promise.all(answers.map((response) => workerOf(server, response)))).size).toBe(2);

    // Starts per IP (4 per window; the reads above took 2): the rest are refused, whichever worker answers.
    const other = await seal();
    await store(server, other);
    const starts = [];
    for (let i = 0; i < 4; i++) {
      const attempt = await read(server, other, { startOnly: true });
      starts.push(attempt.started!.status);
    }
    expect(starts).toEqual([201, 201, 429, 429]);
  });

  it('creates its data folder, database, WAL, blobs and simulator keys for its own user only (0700 and 0600)', () => {
    const modes: string[] = [];
    const walk = (path: string) => {
      const stat = statSync(path);
      modes.push(`${(stat.mode & 0o777).toString(8)} ${stat.isDirectory() ? 'folder' : 'file'}`);
      if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    };
    walk(join(root, 'two'));
    expect(modes.filter((mode) => mode.endsWith('file')).length).toBeGreaterThan(8); // sigill.db, -wal, -shm, blobs, the simulator's PKI
    expect(new Set(modes)).toEqual(new Set(['700 folder', '600 file']));
  });
});

describe('a worker killed or restarted under load', () => {
  it('a killed worker is replaced, no stored message is lost, and no request gets a 5xx', async () => {
    const server = await startWorkers('killed');
    try {
      const stored: SealedMessage[] = [];
      const statuses: number[] = [];
      let networkErrors = 0;
      let running = true;
      const client = async () => {
        while (running) {
          const sealed = await seal();
          try {
            const responses = await store(server, sealed);
            statuses.push(...responses.map((response) => response.status));
            if (responses.every((response) => response.status < 300)) stored.push(sealed);
          } catch {
            networkErrors++; // a connection the killed worker held
          }
        }
      };
      const clients = [client(), client(), client()];
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const victim = logLines(server).find((line) => line.worker === 1 && line.requestId)!.pid;
      process.kill(victim, 'SIGKILL');
      // The primary starts another worker 1; wait until it answers requests.
      for (let i = 0; i < 200 && !logLines(server).some((line) => line.worker === 1 && line.requestId && line.pid !== victim); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      running = false;
      await Promise.all(clients);

      expect(logLines(server).some((line) => line.worker === 1 && line.requestId && line.pid !== victim)).toBe(true);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(stored.length).toBeGreaterThan(5);
      expect(networkErrors).toBeLessThanOrEqual(3);
      for (const sealed of stored) {
        const link = await freshFetch(`${server.url}/api/v1/links/${sealed.request.recipients[0]!.linkId}`);
        expect(link.status).toBe(200);
      }
    } finally {
      await server.stop();
    }
  });

  it('SIGTERM drains a worker: the upload it is serving completes, then another takes its place', async () => {
    const server = await startWorkers('drained');
    try {
      const sealed = await seal();
      const auth = { authorization: `Bearer ${server.token}` };
      const created = await freshFetch(`${server.url}/api/v1/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(sealed.request) });
      expect(created.status).toBe(201);
      const content = new Uint8Array(await new Response(sealed.payloads[0]!.stream()).arrayBuffer());
      // Upload payload 0 slowly, by hand, so that it is in flight when its worker gets SIGTERM.
      const { port } = new URL(server.url);
      const uploading = new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest(
          { host: '127.0.0.1', port, path: `/api/v1/messages/${sealed.request.messageId}/payloads/0`, method: 'PUT', agent: false, headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': content.length } },
          (incoming) => {
            incoming.resume();
            incoming.on('end', () => resolve(incoming.statusCode ?? 0));
          },
        );
        outgoing.on('error', reject);
        outgoing.write(content.subarray(0, 10));
        setTimeout(() => outgoing.end(content.subarray(10)), 1500);
      });
      // The worker serving the upload holds its partial file open.
      const holds = (pid: number) => readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`).endsWith('.part'));
      let holder: number | undefined;
      for (let i = 0; i < 100 && holder === undefined; i++) {
        holder = workerPids(server).find(holds);
        if (holder === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(holder).toBeDefined();
      process.kill(holder!, 'SIGTERM');
      expect(await uploading).toBe(200);
      // It exits after the upload, and the primary starts another.
      for (let i = 0; i < 200 && workerPids(server).includes(holder!); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(workerPids(server)).not.toContain(holder);
      for (let i = 0; i < 200 && workerPids(server).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(workerPids(server)).toHaveLength(2);
      const status = await freshFetch(`${server.url}/api/v1/messages/${sealed.request.messageId}`, { headers: auth });
      expect(((await status.json()) as { payloadsStored: number }).payloadsStored).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('SIGHUP restarts every worker one by one, and no request fails meanwhile', async () => {
    const server = await startWorkers('rolling');
    try {
      const before = workerPids(server);
      expect(before).toHaveLength(2);
      const failures: string[] = [];
      let answered = 0;
      let running = true;
      const client = async () => {
        while (running) {
          try {
            const response = await freshFetch(`${server.url}/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA`);
            if (response.status !== 404) failures.push(String(response.status));
            answered++;
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      };
      const clients = [client(), client(), client()];
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(server.child.pid!, 'SIGHUP');
      for (let i = 0; i < 400 && workerPids(server).some((pid) => before.includes(pid)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 300));
      running = false;
      await Promise.all(clients);
      const after = workerPids(server);
      expect(after).toHaveLength(2);
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(20);
    } finally {
      await server.stop();
    }
  });
});
