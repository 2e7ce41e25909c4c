import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../shared/base64url.js';
import { deriveKeys } from '../../shared/keys.js';
import { parseLink } from '../../shared/link.js';
import type { SealedMessage } from '../../shared/seal-message.js';
import { identityFor, startBankIdSimulator, type BankIdSimulator } from '../../server/bankid/index.js';
import { describeEachBackend } from './backends.js';
import { ciphertextOf, create, seal, send, upload, uploadHalf } from './process-messages.js';
import { CookieJar, simulatorEnv, startServerProcess } from './server-process.js';

let simulator: BankIdSimulator;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-processes-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
});
afterAll(async () => {
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

describe('two server processes on one database', () => {
  it('a verification started through one completes and releases through the other', async () => {
    const dataDir = join(root, 'shared-data');
    const env = { ...simulatorEnv(simulator), SIGILL_DATA_DIR: dataDir, SIGILL_COLLECT_INTERVAL_MS: '200' };
    const first = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'true' });
    const second = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'false' });
    try {
      const sealed = await seal();
      await send(first, first.token!, sealed);

      const link = parseLink(sealed.links[0]!);
      const linkId = encodeBase64url(link.linkId);
      const browser = new CookieJar();
      const info = (await (await browser.fetch(`${second.url}/api/v1/links/${linkId}`)).json()) as { messageId: string };
      const authKey = encodeBase64url(deriveKeys(link.secret, Buffer.from(info.messageId, 'base64url')).auth);
      const started = await browser.fetch(`${first.url}/api/v1/links/${linkId}/verifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authKey }),
      });
      expect(started.status).toBe(201);
      const { verificationId, autoStartToken } = (await started.json()) as { verificationId: string; autoStartToken: string };

      const identity = identityFor('199908072391');
      const { orderRef } = simulator.testApp.openByAutoStartToken(autoStartToken, { identity });
      simulator.testApp.approve(orderRef, identity);

      let state: { status: string; releaseToken?: string } = { status: 'pending' };
      for (let i = 0; i < 100 && state.status === 'pending'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = (await (await browser.fetch(`${second.url}/api/v1/verifications/${verificationId}`)).json()) as typeof state;
      }
      expect(state.status).toBe('approved');
      const payload = await browser.fetch(`${second.url}/api/v1/links/${linkId}/payloads/1`, { headers: { authorization: `Bearer ${state.releaseToken}` } });
      expect(payload.status).toBe(200);
      expect(Buffer.from(await payload.arrayBuffer()).equals(await ciphertextOf(sealed, 1))).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});

describeEachBackend('a killed upload', (backend) => {
  it('loses no stored message and leaves no half-written message visible', async () => {
    const dataDir = join(root, `killed-data-${backend.name}`);
    const storage = await backend.open(dataDir);
    const env = { ...simulatorEnv(simulator), ...storage.env, SIGILL_DATA_DIR: dataDir };
    const server = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'true' });
    try {
      const token = server.token!;
      const stored = await seal();
      await create(server, token, stored);
      await upload(server, token, stored);

      const big = await seal(8 * 1024 * 1024);
      await create(server, token, big);
      await upload(server, token, { ...big, payloads: [big.payloads[0]!] });
      // Stream half of the 8 MiB attachment and kill the server there.
      const { request: uploading } = await uploadHalf(server, token, big, 1);
      if (backend.name === 'libsql') {
        // In the blob folder the half is visible as what it is: a partial file.
        const folder = join(dataDir, 'blobs', big.request.messageId.slice(0, 2));
        for (let i = 0; i < 200 && !readdirSync(folder).some((name) => name.startsWith(big.request.messageId) && name.endsWith('.part')); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(readdirSync(folder).some((name) => name.startsWith(big.request.messageId) && name.endsWith('.part'))).toBe(true);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 300)); // the half is on its way to the bucket
      }
      await server.kill();
      expect(await uploading).toBeInstanceOf(Error);

      const restarted = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'false' });
      try {
        const linkOf = (sealed: SealedMessage) => encodeBase64url(parseLink(sealed.links[0]!).linkId);
        const storedLink = await fetch(`${restarted.url}/api/v1/links/${linkOf(stored)}`);
        expect(storedLink.status).toBe(200);
        expect(((await storedLink.json()) as { errand: string }).errand).toBe(stored.request.errand);
        for (const index of [0, 1]) {
          const bytes = Buffer.from(await new Response(await storage.blobs.get(stored.request.messageId, index)).arrayBuffer());
          expect(bytes.equals(await ciphertextOf(stored, index))).toBe(true);
        }
        const halfLink = await fetch(`${restarted.url}/api/v1/links/${linkOf(big)}`);
        expect(halfLink.status).toBe(404);
        expect(await storage.blobs.size(big.request.messageId, 1)).toBeUndefined();
        const status = (await (await fetch(`${restarted.url}/api/v1/messages/${big.request.messageId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { state: string };
        expect(status.state).toBe('uploading');
      } finally {
        await restarted.stop();
      }
    } finally {
      await server.kill();
      await storage.close();
    }
  });
});

describe('response headers over real HTTP', () => {
  it('every answer carries a request id, nosniff and no-referrer; a link is never cached', async () => {
    // Under @hono/node-server these headers go onto Node's response directly (server/http/headers.ts),
    // a different path from app.request(), which the in-process tests use.
    const server = await startServerProcess({ ...simulatorEnv(simulator), SIGILL_DATA_DIR: join(root, 'headers'), SIGILL_DEMO_SENDER: 'true' });
    try {
      const sealed = await seal(1000);
      await send(server, server.token!, sealed);
      const linkId = encodeBase64url(parseLink(sealed.links[0]!).linkId);
      const responses = {
        link: await fetch(`${server.url}/api/v1/links/${linkId}`),
        unknownLink: await fetch(`${server.url}/api/v1/links/AAAAAAAAAAAAAAAAAAAAAA`),
        badJson: await fetch(`${server.url}/api/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: '{' }),
        page: await fetch(`${server.url}/o/${linkId}`),
      };
      expect([responses.link.status, responses.unknownLink.status, responses.badJson.status, responses.page.status]).toEqual([200, 404, 400, 200]);
      const ids = new Set<string>();
      for (const [name, response] of Object.entries(responses)) {
        expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
        expect(response.headers.get('referrer-policy'), name).toBe('no-referrer');
        expect(response.headers.get('x-request-id'), name).toMatch(/^[0-9a-f-]{36}$/);
        ids.add(response.headers.get('x-request-id')!);
        await response.arrayBuffer();
      }
      expect(ids.size).toBe(4);
      expect(responses.link.headers.get('cache-control')).toBe('no-store');
      expect(responses.link.headers.get('content-type')).toMatch(/^application\/json/);
      expect(responses.page.headers.get('content-security-policy')).toContain("default-src 'none'");
    } finally {
      await server.stop();
    }
  });
});
