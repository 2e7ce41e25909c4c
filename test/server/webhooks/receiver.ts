/**
 * A webhook receiver for tests: a plain HTTP server on loopback that records every
 * delivery and answers with the status the test chooses. Deliveries are verified with
 * the `standardwebhooks` package (the reference library), never with Sigill's own code.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  deliveries: Delivery[];
  /** The status for the next deliveries, in turn (then 200). */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const queue: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = queue.shift() ?? 200;
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/sigill`,
    port,
    deliveries,
    answer: (...statuses) => queue.push(...statuses),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Verifies a delivery with `standardwebhooks` and returns the parsed event. The package
 * rejects timestamps more than five minutes from its Date.now(); `receiverNow` is the
 * receiver's clock (the server's manual clock in in-process tests).
 */
export function verifyDelivery(delivery: Delivery, secret: string, receiverNow?: number): { type: string; timestamp: string; data: Record<string, string> } {
  const headers = {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  };
  if (receiverNow === undefined) return new Webhook(secret).verify(delivery.body, headers) as ReturnType<typeof verifyDelivery>;
  vi.useFakeTimers({ toFake: ['Date'], now: receiverNow });
  try {
    return new Webhook(secret).verify(delivery.body, headers) as ReturnType<typeof verifyDelivery>;
  } finally {
    vi.useRealTimers();
  }
}
