import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../app.js';
import { defaultPublicOrigin, type Config } from '../config.js';
import type { AppDeps } from '../deps.js';
import { payloadListener } from '../links/payload-listener.js';

export interface HttpServer {
  port: number;
  /**
   * Stops accepting connections and lets every request in flight finish: answers sent
   * during the drain close their connection, idle keep-alive connections close at once,
   * and a connection accepted but not yet sending gets `graceMs` to send its request.
   * After `timeoutMs` the connections left are cut.
   */
  drain(options?: { graceMs?: number; timeoutMs?: number }): Promise<void>;
}

/** Per connection: requests being answered, and whether it has had one. */
interface Use {
  active: number;
  served: boolean;
}

/**
 * Serves the app on config.host and config.port (0: any free port, shared by all
 * workers): the payload route straight from Node's request (links/payload-listener.ts),
 * everything else through @hono/node-server.
 */
export async function startHttpServer(deps: AppDeps): Promise<HttpServer> {
  const { config } = deps;
  // The app is made once the port is known: with PORT=0 the default public origin (in the
  // OpenAPI document, and reported to senders) carries the port listened on.
  let app: ReturnType<typeof createApp> | undefined;
  const hono = getRequestListener((request: Request, env: unknown) => (app ? app.fetch(request, env as object) : new Response(null, { status: 503 })), { hostname: config.host });
  const payloads = payloadListener(deps);
  const server: Server = createServer((request, response) => payloads(request, response) || void hono(request, response));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
  });
  // No byte either way for this long: the socket is destroyed, which cancels a payload
  // stream a reader stopped reading (and closes its file or object-store request).
  server.timeout = config.stallTimeoutMs;
  adoptPort(config, port);
  app = createApp(deps);

  // Node's closeIdleConnections() would also cut a connection whose first request is
  // still on its way, so the drain tells the kinds apart itself.
  let draining = false;
  const uses = new Map<Socket, Use>();
  server.on('connection', (socket: Socket) => {
    uses.set(socket, { active: 0, served: false });
    socket.once('close', () => uses.delete(socket));
  });
  server.prependListener('request', (request, response) => {
    const use = uses.get(request.socket);
    if (draining) response.shouldKeepAlive = false;
    if (!use) return;
    use.active++;
    response.once('close', () => {
      use.active--;
      use.served = true;
    });
  });
  return {
    port,
    drain({ graceMs = 5_000, timeoutMs = 30_000 } = {}) {
      draining = true;
      const closeIdle = (fresh: boolean) => {
        for (const [socket, use] of uses) if (use.active === 0 && (use.served || fresh)) socket.destroy();
      };
      return new Promise((resolve) => {
        const sweep = setInterval(() => closeIdle(false), 50);
        const grace = setTimeout(() => closeIdle(true), graceMs);
        const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(grace);
          clearTimeout(deadline);
          resolve();
        });
        closeIdle(false);
      });
    },
  };
}

/** Links follow the port listened on when no public origin is configured (PORT=0). */
export function adoptPort(config: Config, port: number): void {
  if (!config.publicOriginSet) config.publicOrigin = defaultPublicOrigin(config.host, port);
}
