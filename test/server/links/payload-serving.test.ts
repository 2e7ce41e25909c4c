/**
 * Issue 17, acceptance 3: the payload route's bodies are byte-identical to the stored
 * ciphertext and correctly refused, for GET, HEAD, Range, a wrong token, another
 * browser and a revoked message, on both blob back ends, through app.request() (Hono's
 * Web responses) and through the server's own HTTP listener (startHttpServer), which
 * answers the route before Hono (links/payload-listener.ts: one buffer for a small
 * payload, a piped file or object stream for a large one).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wholeBlobBytes } from '../../../server/store/blob-store.js';
import { sealedSegmentBytes } from '../../../server/links/payload-range.js';
import { payloadRoute } from '../../../server/links/payload-listener.js';
import { startHttpServer } from '../../../server/process/http-server.js';
import { backends } from '../backends.js';
import type { CookieJar } from '../cookie-jar.js';
import { Recipient, useServerPerTest, verifyAs, type TestServer } from '../harness.js';

const anna = '199908072391';

describe.each(backends)('[$name] payload serving (issue 17)', (backend) => {
  const context = useServerPerTest(backend);
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  /** A message with a small content document (index 0) and an attachment streamed in several segments (index 1). */
  async function released(attachmentBytes = 5 * sealedSegmentBytes + 12_345) {
    const attachment = new Uint8Array(attachmentBytes).map((_, i) => (i * 7) % 251);
    const sealed = await context.server.send({
      recipients: [{ readers: '*' }],
      attachments: [{ name: 'protokoll.pdf', type: 'application/pdf', size: attachment.length, open: () => new Blob([attachment]).stream() }],
    });
    const recipient = new Recipient(context.server.app, sealed.links[0]!);
    const { state } = await verifyAs(context.server, context.bankId, recipient, anna);
    const releaseToken = (state as { releaseToken: string }).releaseToken;
    const stored = await Promise.all(sealed.payloads.map(async (payload) => Buffer.from(await new Response(payload.stream()).arrayBuffer())));
    return { sealed, recipient, releaseToken, stored, auth: { authorization: `Bearer ${releaseToken}` } };
  }

  /** The same deps behind the server's HTTP listener, as a server process runs it; the recipient's cookie travels as a header. */
  async function listen(server: TestServer): Promise<string> {
    const http = await startHttpServer({ ...server.deps, config: { ...server.deps.config, port: 0, host: '127.0.0.1' } });
    closers.push(() => http.drain({ timeoutMs: 1_000 }));
    return `http://127.0.0.1:${http.port}`;
  }

  /** The recipient's binding cookie, to send from a plain fetch over HTTP (the harness keeps it in the Recipient's jar). */
  async function cookieOf(recipient: Recipient): Promise<string> {
    const cookie = (recipient as unknown as { browser: CookieJar }).browser.cookie;
    expect(cookie).toMatch(/^sigill_browser=[A-Za-z0-9_-]{22}$/);
    return cookie;
  }

  it('sends both payloads byte for byte, with their lengths, through app.request() and over HTTP', async () => {
    const { recipient, stored, auth } = await released();
    expect(stored[0]!.length).toBeLessThanOrEqual(wholeBlobBytes);
    expect(stored[1]!.length).toBeGreaterThan(wholeBlobBytes); // streamed, not buffered
    const base = await listen(context.server);
    const cookie = await cookieOf(recipient);
    for (const index of [0, 1]) {
      const viaApp = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/${index}`, { headers: auth });
      expect(viaApp.status).toBe(200);
      expect(viaApp.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await viaApp.arrayBuffer()).equals(stored[index]!)).toBe(true);

      const overHttp = await fetch(`${base}/api/v1/links/${recipient.linkId}/payloads/${index}`, { headers: { ...auth, cookie } });
      expect(overHttp.status).toBe(200);
      expect(overHttp.headers.get('content-type')).toBe('application/octet-stream');
      expect(overHttp.headers.get('content-length')).toBe(String(stored[index]!.length));
      expect(overHttp.headers.get('cache-control')).toBe('no-store');
      expect(overHttp.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await overHttp.arrayBuffer()).equals(stored[index]!)).toBe(true);
    }
  });

  it('answers HEAD with the status and headers of GET, without a body and without reading the blob', async () => {
    const { recipient, stored, auth } = await released();
    const read = vi.spyOn(context.server.deps.blobs, 'read');
    const base = await listen(context.server);
    const cookie = await cookieOf(recipient);
    for (const index of [0, 1]) {
      const viaApp = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/${index}`, { method: 'HEAD', headers: auth });
      expect([viaApp.status, viaApp.headers.get('content-length'), (await viaApp.arrayBuffer()).byteLength]).toEqual([200, String(stored[index]!.length), 0]);
      const overHttp = await fetch(`${base}/api/v1/links/${recipient.linkId}/payloads/${index}`, { method: 'HEAD', headers: { ...auth, cookie } });
      expect([overHttp.status, overHttp.headers.get('content-length'), overHttp.headers.get('accept-ranges')]).toEqual([200, String(stored[index]!.length), 'bytes']);
      const ranged = await fetch(`${base}/api/v1/links/${recipient.linkId}/payloads/1`, { method: 'HEAD', headers: { ...auth, cookie, range: `bytes=${sealedSegmentBytes}-` } });
      expect([ranged.status, ranged.headers.get('content-range')]).toEqual([206, `bytes ${sealedSegmentBytes}-${stored[1]!.length - 1}/${stored[1]!.length}`]);
    }
    expect(read).not.toHaveBeenCalled();
    // HEAD refuses as GET does.
    const wrong = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/0`, { method: 'HEAD', headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAA' } });
    expect(wrong.status).toBe(401);
  });

  it('resumes from a sealed segment boundary with 206 and the exact bytes, small or large, and refuses any other range with 416', async () => {
    const { recipient, stored, auth } = await released();
    const base = await listen(context.server);
    const cookie = await cookieOf(recipient);
    const large = stored[1]!;
    const cases: [range: string, start: number, end: number][] = [
      [`bytes=${sealedSegmentBytes}-`, sealedSegmentBytes, large.length], // the rest: streamed
      [`bytes=${2 * sealedSegmentBytes}-${3 * sealedSegmentBytes - 1}`, 2 * sealedSegmentBytes, 3 * sealedSegmentBytes], // one segment: one buffer
      [`bytes=${3 * sealedSegmentBytes}-${10 * large.length}`, 3 * sealedSegmentBytes, large.length], // the last byte is capped at the end
      ['bytes=0-99', 0, 100],
    ];
    for (const [range, start, end] of cases) {
      for (const answer of [
        await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/1`, { headers: { ...auth, range } }),
        await fetch(`${base}/api/v1/links/${recipient.linkId}/payloads/1`, { headers: { ...auth, cookie, range } }),
      ]) {
        expect([range, answer.status, answer.headers.get('content-range'), answer.headers.get('content-length')]).toEqual([range, 206, `bytes ${start}-${end - 1}/${large.length}`, String(end - start)]);
        expect(Buffer.from(await answer.arrayBuffer()).equals(large.subarray(start, end))).toBe(true);
      }
    }
    for (const range of ['bytes=100-', `bytes=${sealedSegmentBytes + 1}-`, `bytes=${10 * sealedSegmentBytes}-`, 'bytes=-500', 'bytes=0-9,20-29', 'items=0-', `bytes=${sealedSegmentBytes}-5`]) {
      const answer = await fetch(`${base}/api/v1/links/${recipient.linkId}/payloads/1`, { headers: { ...auth, cookie, range } });
      expect([range, answer.status, answer.headers.get('content-range'), ((await answer.json()) as { error: { code: string } }).error.code]).toEqual([
        range,
        416,
        `bytes */${large.length}`,
        'range_not_satisfiable',
      ]);
    }
  });

  it('refuses a wrong token, a token of another link, another browser and no browser cookie, with no byte of the payload', async () => {
    const { sealed, recipient, auth, stored } = await released();
    const other = await context.server.send({ recipients: [{ readers: '*' }] });
    const base = await listen(context.server);
    const cookie = await cookieOf(recipient);
    const path = `/api/v1/links/${recipient.linkId}/payloads/0`;
    const refusals = [
      await recipient.request(path, { headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAA' } }),
      await recipient.request(path),
      await recipient.request(`/api/v1/links/${other.request.recipients[0]!.linkId}/payloads/0`, { headers: auth }),
      await new Recipient(context.server.app, sealed.links[0]!).request(path, { headers: auth }), // another browser: no cookie
      await fetch(`${base}${path}`, { headers: { ...auth, cookie: 'sigill_browser=BBBBBBBBBBBBBBBBBBBBBB' } }), // another browser's cookie
      await fetch(`${base}${path}`, { headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAA', cookie, range: 'bytes=0-' } }), // a wrong token with a range
    ];
    for (const refused of refusals) {
      const body = Buffer.from(await refused.arrayBuffer());
      expect([refused.status, JSON.parse(body.toString('utf8')).error.code]).toEqual([401, 'release_token_invalid']);
      expect(body.includes(stored[0]!.subarray(0, 32))).toBe(false);
    }
    const missing = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/7`, { headers: auth });
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, 'payload_not_found']);
  });

  it('answers over HTTP as the app does: the same refusals and headers, a request id, and a log line naming the route, never the token', async () => {
    const { recipient, releaseToken, auth } = await released();
    const base = await listen(context.server);
    const cookie = await cookieOf(recipient);
    const path = `/api/v1/links/${recipient.linkId}/payloads`;
    const cases: [path: string, init: RequestInit][] = [
      [`${path}/0`, { headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAA' } }],
      [`${path}/9`, { headers: auth }],
      [`${path}/x`, { headers: auth }],
      [`/api/v1/links/short/payloads/0`, { headers: auth }],
      [`/api/v1/links/%41${recipient.linkId.slice(1)}/payloads/0`, { headers: auth }], // percent-encoded: left to Hono
      [`${path}/1`, { headers: { ...auth, range: 'bytes=7-' } }],
      [`${path}/0?download=1`, { method: 'HEAD', headers: auth }],
    ];
    const seen = new Set<string>();
    for (const [target, init] of cases) {
      const viaApp = await recipient.request(target, init);
      const overHttp = await fetch(`${base}${target}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
      const describe = async (answer: Response) => [
        answer.status,
        answer.headers.get('content-type'),
        answer.headers.get('content-range'),
        answer.headers.get('x-content-type-options'),
        answer.headers.get('referrer-policy'),
        init.method === 'HEAD' ? '' : await answer.text(),
      ];
      expect([target, ...(await describe(overHttp))]).toEqual([target, ...(await describe(viaApp))]);
      expect(overHttp.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      seen.add(String(overHttp.status));
    }
    expect([...seen].sort()).toEqual(['200', '400', '401', '404', '416']);
    const lines = context.server.logs.map((line) => JSON.parse(line) as { msg: string; route?: string; status?: number; method?: string });
    const served = lines.filter((line) => line.msg === 'request' && line.route === payloadRoute);
    expect(served.map((line) => `${line.method} ${line.status}`)).toEqual(expect.arrayContaining(['GET 401', 'GET 404', 'GET 416', 'HEAD 200']));
    expect(context.server.logs.join('\n')).not.toContain(releaseToken);
    expect(context.server.logs.join('\n')).not.toContain(recipient.linkId);
  });

  // The object store's side of an abort is a connection, not a descriptor of this process.
  it.skipIf(backend.name !== 'libsql')('closes the payload file when the recipient goes away mid-download (no descriptor left open)', async () => {
    // 16 MiB: far more than the socket buffers hold, so the file is still being read when the recipient leaves.
    const { recipient, stored, auth } = await released(16 * 1024 * 1024);
    const base = await listen(context.server);
    const cookie = await cookieOf(recipient);
    const openBlobs = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(context.server.dataDir, 'blobs'));
        } catch {
          return false; // closed while listing
        }
      }).length;
    const aborted = new AbortController();
    const response = await fetch(`${base}/api/v1/links/${recipient.linkId}/payloads/1`, { headers: { ...auth, cookie }, signal: aborted.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeLessThan(stored[1]!.length);
    expect(openBlobs()).toBe(1); // the stream holds the file while the download runs
    aborted.abort();
    await reader.cancel().catch(() => undefined);
    for (let wait = 0; wait < 100 && openBlobs() > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(openBlobs()).toBe(0);
  });

  it('refuses a revoked message: its release tokens go with it (401), GET, HEAD and Range alike, and its blobs are gone', async () => {
    const { sealed, recipient, auth } = await released();
    expect((await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/1`, { method: 'HEAD', headers: auth })).status).toBe(200);
    expect((await context.server.api('DELETE', `/api/v1/messages/${sealed.request.messageId}`)).status).toBe(200);
    for (const init of [{ headers: auth }, { method: 'HEAD', headers: auth }, { headers: { ...auth, range: 'bytes=0-' } }]) {
      const answer = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/1`, init);
      expect(answer.status).toBe(401);
      if (init.method !== 'HEAD') expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('release_token_invalid');
    }
    expect(await context.server.deps.blobs.size(sealed.request.messageId, 1)).toBeUndefined();
    expect(await context.server.rows('SELECT count(*) AS n FROM release_tokens')).toMatchObject([{ n: 0 }]);
  });
});
