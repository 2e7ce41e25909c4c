/**
 * A TCP proxy that passes the browser's bytes to the server at a set rate, so an upload
 * lasts long enough for a test to act in the middle of it (stop the service worker).
 *
 * @example
 * const proxy = await throttleProxy(server.url, 8 * 1024 * 1024); // bytes per second, upstream
 * // sign the extension in at proxy.url
 */
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ThrottleProxy {
  url: string;
  close(): Promise<void>;
}

export async function throttleProxy(target: string, bytesPerSecond: number): Promise<ThrottleProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => client.destroy() && upstream.destroy());
    }
    upstream.pipe(client);
    // Client to server: each chunk waits for its share of the rate.
    client.on('data', (chunk: Buffer) => {
      client.pause();
      upstream.write(chunk);
      setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
