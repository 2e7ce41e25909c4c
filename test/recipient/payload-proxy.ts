/**
 * An HTTP proxy in front of the real server, for the browser to load the recipient page
 * through: it forwards everything as it comes (streamed, with backpressure), logs every
 * request, and does to one payload download what the network or an attacker would:
 * cuts the connection (the TCP socket, mid-body) after some bytes, or flips one byte of
 * the ciphertext on its way.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  range: string | undefined;
  status: number;
  /** Body bytes the proxy passed on to the browser. */
  bytes: number;
  /** The proxy cut this answer's connection. */
  cut: boolean;
}

export interface PayloadTrouble {
  /** Cut the first answer for this payload index after this many body bytes. */
  cutAfter?: number;
  /** Flip (xor 0x01) the byte at this offset of the payload, in every answer that carries it. */
  flipAt?: number;
}

export interface PayloadProxy {
  origin: string;
  log: ProxiedRequest[];
  /** Trouble for payload `index` of any link from now on. */
  trouble(index: number, trouble: PayloadTrouble): void;
  close(): Promise<void>;
}

const payloadPath = /^\/api\/v1\/links\/[^/]+\/payloads\/(\d+)$/;

export async function startPayloadProxy(upstream: string): Promise<PayloadProxy> {
  const target = new URL(upstream);
  const log: ProxiedRequest[] = [];
  const troubles = new Map<number, PayloadTrouble & { cutDone?: boolean }>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    const index = payloadPath.exec(path)?.[1];
    const trouble = index === undefined ? undefined : troubles.get(Number(index));
    const entry: ProxiedRequest = { method: incoming.method ?? 'GET', path, range: incoming.headers.range, status: 0, bytes: 0, cut: false };
    log.push(entry);
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path, headers: { ...incoming.headers, host: target.host } },
      (answer: IncomingMessage) => {
        entry.status = answer.statusCode ?? 0;
        outgoing.writeHead(entry.status, answer.headers);
        // Where this answer starts in the payload (a 206 says so).
        let offset = Number(/^bytes (\d+)-/.exec(String(answer.headers['content-range'] ?? ''))?.[1] ?? 0);
        const cutAt = trouble?.cutAfter !== undefined && !trouble.cutDone ? trouble.cutAfter : undefined;
        if (cutAt !== undefined) trouble!.cutDone = true;
        answer.on('data', (chunk: Buffer) => {
          if (trouble?.flipAt !== undefined && trouble.flipAt >= offset && trouble.flipAt < offset + chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[trouble.flipAt - offset]! ^= 0x01;
          }
          offset += chunk.length;
          if (cutAt !== undefined && entry.bytes + chunk.length >= cutAt) {
            outgoing.write(chunk.subarray(0, cutAt - entry.bytes));
            entry.bytes = cutAt;
            entry.cut = true;
            answer.destroy();
            outgoing.socket?.destroy(); // the connection drops, mid-body, as on a train
            return;
          }
          entry.bytes += chunk.length;
          if (!outgoing.write(chunk)) {
            answer.pause();
            outgoing.once('drain', () => answer.resume());
          }
        });
        answer.on('end', () => outgoing.end());
        answer.on('error', () => outgoing.destroy());
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    trouble: (index, trouble) => troubles.set(index, { ...trouble }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
