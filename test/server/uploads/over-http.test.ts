import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { senderApi } from '../../../client/sender-api.js';
import { sealChunk, uploadChunked } from '../../../client/upload.js';
import { chunkBytes } from '../../../shared/api/uploads.js';
import { deriveKeys } from '../../../shared/keys.js';
import { startBankIdSimulator, type BankIdSimulator } from '../../../server/bankid/index.js';
import { startCuttingProxy } from '../../support/cutting-proxy.js';
import { describeEachBackend, type OpenedBackend } from '../backends.js';
import { simulatorEnv, startServerProcess, type ServerProcess } from '../server-process.js';
import { randomAttachment, sealedWith, streamedCiphertext } from './upload-fixtures.js';

/** Room for each request's headers and answer on top of its chunk. */
const requestOverhead = 2048;

let simulator: BankIdSimulator;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-uploads-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
});
afterAll(async () => {
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

async function withServers(backendName: string, open: (dataDir: string) => Promise<OpenedBackend>, count: number, work: (servers: ServerProcess[], storage: OpenedBackend, token: string) => Promise<void>) {
  const dataDir = join(root, `${backendName}-${Math.random().toString(36).slice(2)}`);
  const storage = await open(dataDir);
  const env = { ...simulatorEnv(simulator), ...storage.env, SIGILL_DATA_DIR: dataDir };
  const servers: ServerProcess[] = [await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'true' })];
  for (let i = 1; i < count; i++) servers.push(await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'false' }));
  try {
    await work(servers, storage, servers[0]!.token!);
  } finally {
    for (const server of servers) await server.stop();
    await storage.close();
  }
}

describeEachBackend('chunked upload over HTTP', (backend) => {
  it('completes through a proxy that cuts the connection twice, re-sending no more than the chunks in flight', async () => {
    await withServers(backend.name, (dir) => backend.open(dir), 1, async ([server], storage, token) => {
      const proxy = await startCuttingProxy({ target: server!.url, cutAfterBytes: 9 * 1024 * 1024, cuts: 2 });
      try {
        const { sealed, upload } = await sealedWith([randomAttachment(6 * 5 * 1024 * 1024 - 1000)]);
        const api = senderApi({ baseUrl: proxy.url, token });
        await api.createMessage(sealed.request);
        const before = proxy.bytesToServer;
        const inFlight = 3;
        const result = await uploadChunked(api, upload, { inFlight });
        expect(result.state).toBe('ready');
        expect(proxy.cuts).toBe(2);
        const total = sealed.payloads.reduce((sum, payload) => sum + payload.length, 0);
        const requests = 2 + 7 + 2 * inFlight; // the status GETs, one PUT per chunk, and the re-sent ones
        const sent = proxy.bytesToServer - before;
        expect(sent).toBeGreaterThan(total);
        expect(sent).toBeLessThanOrEqual(total + 2 * inFlight * chunkBytes + requests * requestOverhead);
        const stored = Buffer.from(await new Response(await storage.blobs.get(sealed.request.messageId, 1)).arrayBuffer());
        expect(stored.equals(await streamedCiphertext(sealed, 1))).toBe(true);
      } finally {
        await proxy.close();
      }
    });
  });

  it('resumes after the uploader stopped: only the chunks the server lacks are sent', async () => {
    await withServers(backend.name, (dir) => backend.open(dir), 1, async ([server], storage, token) => {
      const proxy = await startCuttingProxy({ target: server!.url });
      try {
        const { sealed, upload } = await sealedWith([randomAttachment(4 * 5 * 1024 * 1024 + 12_345)]);
        const api = senderApi({ baseUrl: proxy.url, token });
        await api.createMessage(sealed.request);
        const stop = new AbortController();
        let held = 0;
        const first = uploadChunked(api, upload, { inFlight: 1, signal: stop.signal, onChunk: () => void (++held === 3 && stop.abort()) });
        await expect(first).rejects.toMatchObject({ code: 'upload_aborted' });
        const status = await api.payloadUpload(sealed.request.messageId, 1);
        expect(status.complete).toBe(false);
        const missing = status.chunkCount - status.chunks.length;
        const before = proxy.bytesToServer;
        expect((await uploadChunked(api, upload)).state).toBe('ready');
        const missingBytes = missing * chunkBytes; // at most: the last chunk is shorter
        expect(proxy.bytesToServer - before).toBeLessThanOrEqual(missingBytes + (missing + 2) * requestOverhead);
        const stored = Buffer.from(await new Response(await storage.blobs.get(sealed.request.messageId, 1)).arrayBuffer());
        expect(stored.equals(await streamedCiphertext(sealed, 1))).toBe(true);
      } finally {
        await proxy.close();
      }
    });
  });

  it('two processes taking the last chunks at once: each payload is counted once and the message becomes ready once', async () => {
    await withServers(backend.name, (dir) => backend.open(dir), 2, async (servers, storage, token) => {
      const size = 5 * 1024 * 1024 + 70_000; // two chunks each
      for (let round = 0; round < 3; round++) {
        const { sealed, upload } = await sealedWith([randomAttachment(size), randomAttachment(size, 'b.zip'), randomAttachment(2 * size, 'c.zip')]);
        const { messageId } = sealed.request;
        const [first, second] = servers.map((server) => senderApi({ baseUrl: server.url, token }));
        await first!.createMessage(sealed.request);
        const keys = deriveKeys(upload.secret, Buffer.from(messageId, 'base64url'));
        const chunkOf = (index: number, chunk: number) => sealChunk(keys.payload(index), upload.payloads[index]!.source, chunk);
        const put = async (api: typeof first, index: number, chunk: number) => api!.putChunk(messageId, index, chunk, await chunkOf(index, chunk), { length: sealed.payloads[index]!.length });
        await put(first, 0, 0);
        for (const index of [1, 2]) await put(first, index, 0);
        await put(first, 3, 0);
        await put(first, 3, 1);
        // The last chunks of three payloads through two processes at once; payload 3's last chunk through both.
        const answers = await Promise.all([put(first, 1, 1), put(second, 2, 1), put(first, 3, 2), put(second, 3, 2)]);
        expect(answers.filter((answer) => answer.state === 'ready').length).toBeGreaterThanOrEqual(1);
        const status = await first!.message(messageId);
        expect(status.state).toBe('ready');
        const [row] = await storage.rows<{ stored: number }>('SELECT payloads_stored AS stored FROM messages WHERE id = ?', messageId);
        expect(Number(row!.stored)).toBe(4);
        const [counted] = await storage.rows<{ count: number }>('SELECT count(*) AS count FROM stored_payloads WHERE message_id = ?', messageId);
        expect(Number(counted!.count)).toBe(4);
        for (const index of [1, 2, 3]) {
          const stored = Buffer.from(await new Response(await storage.blobs.get(messageId, index)).arrayBuffer());
          expect(stored.equals(await streamedCiphertext(sealed, index))).toBe(true);
        }
        // A late resend through either process changes nothing.
        const late = await put(second, 3, 0);
        expect(late).toMatchObject({ complete: true, state: 'ready' });
      }
    });
  });
});
