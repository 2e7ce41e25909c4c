import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/**
 * Serves the project's protocol document (docs/protocol.md) at `/docs/protocol.md`, so
 * the link in /api/openapi.json works on every server, including one run from a clone.
 *
 * @example
 * app.route('/', createDocsApp());
 */
export const protocolPath = '/docs/protocol.md';
const protocolFile = fileURLToPath(new URL('../../docs/protocol.md', import.meta.url));

export function createDocsApp(file = protocolFile) {
  const app = new Hono();
  app.get(protocolPath, async (c) => {
    const text = await readFile(file, 'utf8');
    return c.body(text, 200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Cache-Control': 'no-cache' });
  });
  return app;
}
