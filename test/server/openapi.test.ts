import { describe, expect, it } from 'vitest';
import { createMessageRequestSchema, messageStatusSchema } from '../../shared/api/messages.js';
import { linkInfoSchema } from '../../shared/api/recipient.js';
import { useServerPerTest } from './harness.js';

/**
 * The API contract is defined once (shared/api/); the OpenAPI document is generated from
 * the same schemas the routes validate with. This checks that the document lists every
 * route the server mounts, and nothing else.
 */
const context = useServerPerTest();

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  servers: { url: string }[];
  info: { description: string };
  externalDocs: { url: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

async function openapi(): Promise<Document> {
  const response = await context.server.app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

/** `get /api/v1/links/{linkId}` for every route the app mounts under /api/v1 (middleware left out). */
function mountedRoutes(app: { routes: { method: string; path: string }[] }): string[] {
  const routes = app.routes
    .filter((route) => route.path.startsWith('/api/v1/') && !route.path.includes('*') && route.method !== 'ALL')
    .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
  return [...new Set(routes)].sort(); // a route with its own middleware is listed once per handler
}

function documentedRoutes(document: Document): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
    .sort();
}

describe('/api/openapi.json', () => {
  it('lists exactly the API routes the server mounts', async () => {
    const mounted = mountedRoutes(context.server.app);
    expect(mounted.length).toBeGreaterThanOrEqual(12);
    expect(documentedRoutes(await openapi())).toEqual(mounted);
  });

  it('the same comparison notices a route mounted without a schema', async () => {
    context.server.app.get('/api/v1/undocumented', (c) => c.json({}));
    const mounted = mountedRoutes(context.server.app);
    expect(mounted).toContain('get /api/v1/undocumented');
    expect(documentedRoutes(await openapi())).not.toEqual(mounted);
  });

  it('gives every error response the one error schema', async () => {
    const document = await openapi();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          expect(response.content?.['application/json']?.schema?.$ref, `${method} ${path} ${status}`).toBe('#/components/schemas/Error');
        }
      }
    }
  });

  it('describes the shapes the server validates with, from shared/api', async () => {
    const { components } = await openapi();
    expect(Object.keys(components.schemas.CreateMessageRequest!.properties!).sort()).toEqual(Object.keys(createMessageRequestSchema.shape).sort());
    expect(Object.keys(components.schemas.MessageStatus!.properties!).sort()).toEqual(Object.keys(messageStatusSchema.shape).sort());
    expect(Object.keys(components.schemas.LinkInfo!.properties!).sort()).toEqual(Object.keys(linkInfoSchema.shape).sort());
  });

  it('names its server and links the protocol document, which the server serves', async () => {
    const document = await openapi();
    expect(document.servers.map((server) => server.url)).toEqual([context.server.deps.config.publicOrigin]);
    const url = new URL(document.externalDocs.url);
    expect(document.info.description).toContain(url.href);
    const protocol = await context.server.app.request(url.pathname);
    expect(protocol.status).toBe(200);
    expect(await protocol.text()).toContain('# The Sigill protocol');
  });
});
