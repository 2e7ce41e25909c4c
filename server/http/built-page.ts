import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'hono';

/**
 * Answers for a page vite built into a folder (the recipient page, the toolbox): its
 * `index.html`, and its hashed assets from `assets/`, each with the headers the caller
 * gives (`securityHeaders`: the strict CSP and the rest). Without a build the page answers
 * 503 with `notBuilt`, which says how to build.
 *
 * @example
 * app.get('/toolbox/', builtPage(distDir, securityHeaders, notBuilt));
 * app.get('/toolbox/assets/:file', builtAsset(distDir, securityHeaders, { sameOrigin: true }));
 */
export const assetTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
};

type Headers = (c: Context) => void;

export function builtPage(distDir: string, headers: Headers, notBuilt: string) {
  return async (c: Context) => {
    headers(c);
    c.header('Cache-Control', 'no-cache');
    const html = await readFile(join(distDir, 'index.html'), 'utf8').catch(() => undefined);
    if (html === undefined) {
      c.header('Cache-Control', 'no-store');
      return c.html(notBuilt, 503);
    }
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return c.html(html);
  };
}

/** `sameOrigin`: add Cross-Origin-Resource-Policy (not for the recipient page, whose sandboxed message frame loads a stylesheet). */
export function builtAsset(distDir: string, headers: Headers, { sameOrigin }: { sameOrigin: boolean }) {
  return async (c: Context) => {
    headers(c);
    const file = c.req.param('file') ?? '';
    const type = assetTypes[file.split('.').pop() ?? ''];
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(file) || type === undefined) return c.text('not found', 404);
    const body = await readFile(join(distDir, 'assets', file)).catch(() => undefined);
    if (body === undefined) return c.text('not found', 404);
    c.header('Content-Type', type);
    // Names carry a content hash, so an asset never changes.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    if (sameOrigin) c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return c.body(body);
  };
}
