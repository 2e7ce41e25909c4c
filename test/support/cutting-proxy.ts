import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP proxy for tests that drops connections: it forwards to `target`, counts the
 * bytes each way over all connections, and when the bytes sent to the server since the
 * last cut reach `cutAfterBytes` it forwards exactly up to that byte and destroys that
 * connection on both sides (as a dropped wifi would), at most `cuts` times (default 1;
 * `Infinity` cuts every `cutAfterBytes`). It speaks no HTTP: whatever the client sends,
 * a request's headers or its body, counts.
 *
 * @example
 * const proxy = await startCuttingProxy({ target: server.url, cutAfterBytes: 12 * 1024 * 1024, cuts: 2 });
 * const api = senderApi({ baseUrl: proxy.url, token });
 * …
 * proxy.bytesToServer // what the server was sent, re-sent bytes included
 * await proxy.close();
 */
export interface CuttingProxyOptions {
  /** `http://host:port` of the server. */
  target: string;
  /** Cut after this many bytes to the server (since the last cut); none when absent. */
  cutAfterBytes?: number;
  /** How many cuts at most (default 1). */
  cuts?: number;
}

export interface CuttingProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the server's URL. */
  readonly url: string;
  readonly port: number;
  /** Bytes forwarded from clients to the server. */
  readonly bytesToServer: number;
  /** Bytes forwarded from the server to clients. */
  readonly bytesToClient: number;
  /** Connections cut so far. */
  readonly cuts: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Changes the cut rule from now on (the count since the last cut starts again). */
  cutAfter(bytes: number | undefined, cuts?: number): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(options: CuttingProxyOptions): Promise<CuttingProxy> {
  const target = new URL(options.target);
  const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const targetHost = target.hostname.replace(/^\[|\]$/g, '');
  let cutAfterBytes = options.cutAfterBytes;
  let cutsLeft = options.cuts ?? 1;
  let sinceCut = 0;
  const state = { bytesToServer: 0, bytesToClient: 0, cuts: 0, connections: 0 };
  const open = new Set<Socket>();

  const server = createServer((client) => {
    state.connections++;
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const endBoth = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', endBoth).on('close', endBoth);
    upstream.on('error', endBoth).on('close', endBoth);
    client.on('data', (data: Buffer) => {
      const room = cutAfterBytes !== undefined && cutsLeft > 0 ? cutAfterBytes - sinceCut : Infinity;
      if (data.length < room) {
        sinceCut += data.length;
        state.bytesToServer += data.length;
        if (!upstream.write(data)) client.pause();
        return;
      }
      // This connection carries the byte the rule cuts at: forward up to it, then drop both sides.
      const part = data.subarray(0, room);
      state.bytesToServer += part.length;
      sinceCut = 0;
      cutsLeft--;
      state.cuts++;
      upstream.write(part, () => endBoth());
      client.destroy();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (data: Buffer) => {
      state.bytesToClient += data.length;
      if (!client.write(data)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get bytesToServer() {
      return state.bytesToServer;
    },
    get bytesToClient() {
      return state.bytesToClient;
    },
    get cuts() {
      return state.cuts;
    },
    get connections() {
      return state.connections;
    },
    cutAfter(bytes, cuts = 1) {
      cutAfterBytes = bytes;
      cutsLeft = cuts;
      sinceCut = 0;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
