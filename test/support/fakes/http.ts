import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What both SMS provider fakes share: a node:http server on a random loopback port that
 * closes every socket it holds (a held "timeout" answer too), form bodies, Basic auth,
 * and the failure switches (timeout, 500, garbage) for the next requests.
 */
export type FakeFailure = 'timeout' | '500' | 'garbage';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  /** The form fields in the order sent. */
  fields: [string, string][];
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** The next `count` sends fail this way (then the fake answers normally again). */
  fail(failure: FakeFailure, count?: number): void;
  close(): Promise<void>;
}

export async function readForm(request: IncomingMessage): Promise<[string, string][]> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))];
}

export function basicCredentials(authorization: string | undefined): [string, string] | undefined {
  const match = /^Basic (.+)$/.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** POSTs a form to a callback URL as a provider does: userinfo in the URL becomes Basic auth. */
export async function postCallback(callbackUrl: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(callbackUrl);
  const auth: Record<string, string> = url.username ? { authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` } : {};
  url.username = '';
  url.password = '';
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth, ...headers }, body: new URLSearchParams(fields).toString() });
  await response.arrayBuffer();
  return response.status;
}

export async function startFake(
  handle: (request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest) => void,
): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  const failures: FakeFailure[] = [];
  const server: Server = createServer((request, response) => {
    void readForm(request).then((fields) => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        fields,
      };
      requests.push(recorded);
      const failure = failures.shift();
      if (failure === 'timeout') return; // never answers; close() destroys the socket
      if (failure === '500') return void response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      if (failure === 'garbage') return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html>{"id": oops');
      handle(request, response, recorded);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const isE164 = (number: string) => /^\+[1-9]\d{6,14}$/.test(number);
export const randomHex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A rough part count of the fakes' own (not the server's code): GSM-7 when every character is in the common GSM set. */
export function roughParts(text: string): number {
  const gsm = /^[A-Za-z0-9 \n\r@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà]*$/.test(text);
  const length = [...text].length;
  if (gsm) return length <= 160 ? 1 : Math.ceil(length / 153);
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}
