/**
 * How the server serves the recipient page (server/recipient-page/): one HTML for every
 * link with a strict CSP and no referrer, hashed assets cached for good, and a clear 503
 * when the page was never built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecipientPage } from '../../server/recipient-page/routes.js';

let distDir: string;
beforeEach(() => {
  distDir = mkdtempSync(join(tmpdir(), 'sigill-recipient-dist-'));
});
afterEach(() => rmSync(distDir, { recursive: true, force: true }));

function build() {
  mkdirSync(join(distDir, 'assets'));
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(distDir, 'assets/index-abc123.js'), 'console.log(1);\n'.repeat(200));
}

describe('serving the recipient page', () => {
  it('answers every link with the page, a strict CSP, no referrer and no framing', async () => {
    build();
    const response = await createRecipientPage({ distDir }).request('/o/nEcxKVzHRsZcUbcQ_5KbUQ');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('/assets/index-abc123.js');
  });

  it('serves hashed assets with their type, cached for a year, and nothing outside the assets folder', async () => {
    build();
    const app = createRecipientPage({ distDir });
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toContain("script-src 'self'");
    const gzipped = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect((await app.request('/assets/missing-0000.js')).status).toBe(404);
    expect((await app.request('/assets/..%2Findex.html')).status).toBe(404);
    expect((await app.request('/assets/index.html')).status).toBe(404);
  });

  it('serves the download service worker at a fixed name, allowed by worker-src, and answers /download/… with 204 when no worker did', async () => {
    build();
    writeFileSync(join(distDir, 'download-worker.js'), 'self.addEventListener("fetch", () => {});');
    const app = createRecipientPage({ distDir });
    expect((await app.request('/o/nEcxKVzHRsZcUbcQ_5KbUQ')).headers.get('content-security-policy')).toContain("worker-src 'self'");
    const worker = await app.request('/download-worker.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(worker.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await worker.text()).toContain('fetch');
    const unserved = await app.request('/download/AAAAAAAAAAAAAAAAAAAAAA');
    expect(unserved.status).toBe(204);
    expect(await unserved.text()).toBe('');
  });

  it('says how to build when the page was not built', async () => {
    const response = await createRecipientPage({ distDir }).request('/o/nEcxKVzHRsZcUbcQ_5KbUQ');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
