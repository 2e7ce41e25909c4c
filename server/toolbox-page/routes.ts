import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { builtAsset, builtPage } from '../http/built-page.js';
import { securityHeaders } from '../recipient-page/routes.js';

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

  app.get('/toolbox/assets/:file', builtAsset(distDir, securityHeaders, { sameOrigin: true }));
  app.get('/toolbox/', builtPage(distDir, securityHeaders, notBuilt));

  return app;
}
