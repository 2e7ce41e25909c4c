/**
 * How the server serves the toolbox (server/toolbox-page/): its page at /toolbox/ with the
 * recipient page's strict CSP and no referrer, `/` leading there, hashed assets under
 * /toolbox/assets/, nothing outside them, and a clear 503 when it was never built; the
 * real build references only its own origin.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../server/recipient-page/routes.js';
import { createToolboxPage, defaultDistDir } from '../../server/toolbox-page/routes.js';

let distDir: string;
beforeEach(() => {
  distDir = mkdtempSync(join(tmpdir(), 'sigill-toolbox-dist-'));
});
afterEach(() => rmSync(distDir, { recursive: true, force: true }));

function build() {
  mkdirSync(join(distDir, 'assets'));
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><script type="module" src="/toolbox/assets/index-abc123.js"></script>');
  writeFileSync(join(distDir, 'assets/index-abc123.js'), 'console.log(1);\n');
}

describe('serving the toolbox', () => {
  it('answers /toolbox/ with the page, the recipient page’s CSP, no referrer and no framing', async () => {
    build();
    const response = await createToolboxPage({ distDir }).request('/toolbox/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('/toolbox/assets/index-abc123.js');
  });

  it('leads / and /toolbox to /toolbox/', async () => {
    const app = createToolboxPage({ distDir });
    const root = await app.request('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/toolbox/');
    expect((await app.request('/toolbox')).headers.get('location')).toBe('/toolbox/');
  });

  it('serves hashed assets cached for good, and nothing outside the assets folder', async () => {
    build();
    const app = createToolboxPage({ distDir });
    const asset = await app.request('/toolbox/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect((await app.request('/toolbox/assets/..%2Findex.html')).status).toBe(404);
    expect((await app.request('/toolbox/assets/missing.js')).status).toBe(404);
    expect((await app.request('/toolbox/assets/index.html')).status).toBe(404);
  });

  it('answers 503 with how to build when there is no build', async () => {
    const response = await createToolboxPage({ distDir }).request('/toolbox/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it('builds a page that loads nothing from another origin and no inline script or style', () => {
    const html = readFileSync(join(defaultDistDir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(urls.filter((url) => url !== '#main').every((url) => url.startsWith('/toolbox/assets/'))).toBe(true);
    const code = readdirSync(join(defaultDistDir, 'assets'))
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(defaultDistDir, 'assets', name), 'utf8'))
      .join('\n');
    expect(code).not.toMatch(/https?:\/\/(?!localhost|www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[\w/.-]*\.(js|css)\b/);
  });
});
