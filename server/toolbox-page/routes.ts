import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { assetTypes, securityHeaders } from '../recipient-page/routes.js';

/**
 * Serves the toolbox (toolbox/, built by `npm run build` into dist/toolbox/): its page at
 * /toolbox/ and its hashed assets at /toolbox/assets/…, with the recipient page's strict
 * CSP (scripts and styles only from this origin, no inline script, no eval, no framing)
 * and no referrer. `/` leads there. Without a build it answers 503 and says how to build.
 *
 * @example
 * app.route('/', createToolboxPage());
 */
export const defaultDistDir = fileURLToPath(new URL('../../dist/toolbox', import.meta.url));

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Toolbox not built</title>
<h1>The toolbox has not been built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload.</p></html>`;

export function createToolboxPage({ distDir = defaultDistDir }: { distDir?: string } = {}) {
  const app = new Hono();
  app.use('/toolbox/*', compress());

  app.get('/', (c) => c.redirect('/toolbox/', 302));
  app.get('/toolbox', (c) => c.redirect('/toolbox/', 301));

  app.get('/toolbox/assets/:file', async (c) => {
    securityHeaders(c);
    const file = c.req.param('file');
    const type = assetTypes[file.split('.').pop() ?? ''];
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(file) || type === undefined) return c.text('not found', 404);
    const body = await readFile(join(distDir, 'assets', file)).catch(() => undefined);
    if (body === undefined) return c.text('not found', 404);
    c.header('Content-Type', type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return c.body(body);
  });

  app.get('/toolbox/', async (c) => {
    securityHeaders(c);
    c.header('Cache-Control', 'no-cache');
    const html = await readFile(join(distDir, 'index.html'), 'utf8').catch(() => undefined);
    if (html === undefined) {
      c.header('Cache-Control', 'no-store');
      return c.html(notBuilt, 503);
    }
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return c.html(html);
  });

  return app;
}
