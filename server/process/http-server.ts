import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { defaultPublicOrigin, type Config } from '../config.js';
import type { AppDeps } from '../deps.js';

export interface HttpServer {
  port: number;
  /**
   * Stops accepting connections, lets every request in flight finish (answers sent
   * during the drain close their connection), then resolves. After `timeoutMs` the
   * connections left are cut.
   */
  drain(timeoutMs?: number): Promise<void>;
}

/** Serves the app on config.host and config.port (0: any free port, shared by all workers). */
export async function startHttpServer(deps: AppDeps): Promise<HttpServer> {
  const { config } = deps;
  // The app is made once the port is known: with PORT=0 the default public origin (in the
  // OpenAPI document, and reported to senders) carries the port listened on.
  let app: ReturnType<typeof createApp> | undefined;
  let server!: Server;
  const port = await new Promise<number>((resolve, reject) => {
    const fetch = (request: Request, env: unknown) => (app ? app.fetch(request, env as object) : new Response(null, { status: 503 }));
    server = serve({ fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => resolve(info.port)) as Server;
    server.once('error', reject);
  });
  // No byte either way for this long: the socket is destroyed, which cancels a payload
  // stream a reader stopped reading (and closes its file or object-store request).
  server.timeout = config.stallTimeoutMs;
  adoptPort(config, port);
  app = createApp(deps);
  let draining = false;
  server.prependListener('request', (_request, response) => {
    if (draining) response.shouldKeepAlive = false;
  });
  return {
    port,
    drain(timeoutMs = 30_000) {
      draining = true;
      return new Promise((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve();
        });
      });
    },
  };
}

/** Links follow the port listened on when no public origin is configured (PORT=0). */
export function adoptPort(config: Config, port: number): void {
  if (!config.publicOriginSet) config.publicOrigin = defaultPublicOrigin(config.host, port);
}
