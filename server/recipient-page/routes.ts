import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { assetTypes, builtAsset, builtPage } from '../http/built-page.js';

/**
 * Serves the recipient page (recipient/, built by `npm run build` into dist/recipient/):
 * the same static HTML at every `/o/<linkId>`, and its hashed assets at `/assets/…` (a path of their own, so that the router can
 * stay the fast RegExpRouter: `/o/assets/…` beside `/o/:linkId` is ambiguous to it).
 * The page carries the link's secret in its fragment, so every answer has a strict CSP
 * (scripts only from this origin, no inline script, no eval, no framing), no referrer,
 * and nothing fetched from other origins. Without a build it answers 503 and says how
 * to build. The download service worker is served at `/download-worker.js` (a fixed
 * name, revalidated each time) with scope `/download/`; a `/download/…` that reaches the
 * server (the worker was not running) answers 204, which leaves the page as it is.
 *
 * @example
 * app.route('/', createRecipientPage());
 * app.route('/', createRecipientPage({ distDir: '/tmp/build' }));
 */
export const defaultDistDir = fileURLToPath(new URL('../../dist/recipient', import.meta.url));

export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  // The download service worker (recipient/download-worker.ts), from this origin only.
  "worker-src 'self'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(c: Context) {
  c.header('Content-Security-Policy', contentSecurityPolicy);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
}

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Recipient page not built</title>
<h1>The recipient page has not been built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload.</p></html>`;

export function createRecipientPage({ distDir = defaultDistDir }: { distDir?: string } = {}) {
  const app = new Hono();
  // About 90 kB of JavaScript is 33 kB gzipped: it matters on a slow phone connection.
  app.use('/o/*', compress());
  app.use('/assets/*', compress());

  // No Cross-Origin-Resource-Policy on assets: the message frame is sandboxed (an opaque origin) and loads the frame stylesheet.
  app.get('/assets/:file', builtAsset(distDir, securityHeaders, { sameOrigin: false }));

  app.get('/download-worker.js', async (c) => {
    const body = await readFile(join(distDir, 'download-worker.js')).catch(() => undefined);
    if (body === undefined) return c.text('not found', 404);
    // The worker fetches nothing itself: its own CSP allows nothing.
    c.header('Content-Security-Policy', "default-src 'none'");
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Type', assetTypes.js!);
    c.header('Cache-Control', 'no-cache');
    return c.body(body);
  });

  // Only the download worker answers these; without it, nothing happens (no page to navigate to).
  app.get('/download/:id', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.body(null, 204);
  });

  app.get('/o/:linkId', builtPage(distDir, securityHeaders, notBuilt));

  return app;
}
