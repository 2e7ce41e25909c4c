/**
 * The benchmarks' own load generator in Node, for what wrk (wrk-load.ts) cannot send
 * (create + upload: each connection's next request depends on its last answer) and for
 * every line when wrk is not on PATH. As light as Node allows, because it runs on the
 * same two cores as the servers it measures: `connections` keep-alive TCP connections, each
 * sending one request after another for `seconds`, written from bytes encoded once per
 * distinct request, and answers read by a minimal HTTP/1.1 reader (status line,
 * Content-Length or chunked, the body skipped, never kept). For a 48 KiB answer it costs
 * about two thirds of node:http's client, most of the rest being the kernel's copy; unlike
 * autocannon it keeps no body and parses no header it does not need (README,
 * Benchmarks). Its own CPU time, and the server's from /proc, come with the result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/** One request; the same object sent again reuses its encoded bytes. */
export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** The next request of one connection; `context` is that connection's own, kept between its requests. */
export type NextRequest = (context: Record<string, unknown>) => LoadRequest;

export interface Result {
  rps: number;
  /** Milliseconds. */
  p99: number;
  /** Which load generator measured it: wrk or http-load. */
  generator: 'wrk' | 'http-load';
  /** CPU seconds per second of the load generator (this process). */
  clientCpu: number;
  /** CPU seconds per second of the server process and its children; NaN without /proc. */
  serverCpu: number;
}

/** Drives `url` from `connections` connections for `seconds`; throws if any answer was not 2xx. */
export async function httpLoad(url: string, { connections, seconds, next, serverPid }: { connections: number; seconds: number; next: NextRequest; serverPid?: number }): Promise<Result> {
  const { hostname, port } = new URL(url);
  const encoded = new WeakMap<LoadRequest, Buffer[]>();
  const encode = (request: LoadRequest): Buffer[] => {
    let parts = encoded.get(request);
    if (!parts) {
      parts = encodeRequest(request, `${hostname}:${port}`);
      encoded.set(request, parts);
    }
    return parts;
  };
  const latencies: number[] = [];
  const failed = new Map<number, number>();
  const until = performance.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverPid === undefined ? NaN : cpuSecondsOf(serverPid);
  const started = performance.now();

  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket: Socket = connect({ host: hostname, port: Number(port), noDelay: true });
      const context: Record<string, unknown> = {};
      const reader = new ResponseReader();
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= until) {
          socket.end();
          return resolve();
        }
        sentAt = performance.now();
        const parts = encode(next(context));
        if (parts.length === 1) socket.write(parts[0]!);
        else {
          socket.cork();
          for (const part of parts) socket.write(part);
          socket.uncork();
        }
      };
      socket.once('connect', send);
      socket.on('data', (chunk: Buffer) => {
        const status = reader.take(chunk);
        if (status === undefined) return;
        latencies.push(performance.now() - sentAt);
        if (status < 200 || status >= 300) failed.set(status, (failed.get(status) ?? 0) + 1);
        context.status = status;
        send();
      });
      socket.once('error', reject);
      socket.once('close', () => (performance.now() < until ? reject(new Error('the server closed a benchmark connection')) : resolve()));
    });
  await Promise.all(Array.from({ length: connections }, connection));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpu = (cpuSecondsOf(serverPid) - serverBefore) / elapsed;
  if (failed.size > 0) throw new Error(`benchmark requests failed: ${[...failed].map(([status, count]) => `${count} × ${status}`).join(', ')}`);
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? Infinity,
    generator: 'http-load',
    clientCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
    serverCpu,
  };
}

/** A request's bytes on the wire: its head, and its body if it has one (wrk-load.ts sends the same). */
export function encodeRequest(request: LoadRequest, host: string): Buffer[] {
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  let head = `${request.method} ${request.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
  head += `Content-Length: ${body?.length ?? 0}\r\n\r\n`;
  return body ? [Buffer.from(head, 'latin1'), Buffer.from(body.buffer, body.byteOffset, body.length)] : [Buffer.from(head, 'latin1')];
}

/** User and system CPU seconds of one process (all its threads), from /proc/<pid>/stat; throws when it is not there. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime, in USER_HZ
}

/** The processes a process started, from any of its threads (/proc/<pid>/task/<thread>/children); throws when it is not there. */
export function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
}

/** User and system CPU seconds of a process and its children (node:cluster's workers), from /proc; NaN elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const children = childrenOf(pid);
    let seconds = 0;
    for (const each of [pid, ...children]) seconds += processCpuSeconds(each);
    return seconds;
  } catch {
    return NaN;
  }
}

const headEnd = Buffer.from('\r\n\r\n');

/**
 * Reads one HTTP/1.1 response after another from a connection's chunks: the status,
 * then Content-Length bytes or a chunked body, skipped. Enough for the servers measured
 * here (keep-alive, no 1xx, no trailers of interest).
 */
class ResponseReader {
  private head: Buffer | undefined;
  private status = 0;
  private remaining = 0;
  private chunked = false;
  private chunkTail: Buffer | undefined;

  /** The status once a whole response has arrived, else undefined. */
  take(chunk: Buffer): number | undefined {
    if (this.status === 0) {
      const buffer = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      const end = buffer.indexOf(headEnd);
      if (end === -1) {
        this.head = buffer;
        return undefined;
      }
      this.head = undefined;
      const head = buffer.toString('latin1', 0, end).toLowerCase();
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
      this.chunked = !length && /\r\ntransfer-encoding:[^\r]*chunked/.test(head);
      this.remaining = length ? Number(length[1]) : 0;
      chunk = buffer.subarray(end + 4);
    }
    if (this.chunked ? !this.chunkedDone(chunk) : (this.remaining -= chunk.length) > 0) return undefined;
    const status = this.status;
    this.status = 0;
    return status;
  }

  /** Whether the chunked body ends in this chunk: the zero-length chunk and the blank line after it. */
  private chunkedDone(chunk: Buffer): boolean {
    let buffer = this.chunkTail ? Buffer.concat([this.chunkTail, chunk]) : chunk;
    this.chunkTail = undefined;
    for (;;) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, buffer.length);
        this.remaining -= skip;
        buffer = buffer.subarray(skip);
        if (this.remaining > 0) return false;
      }
      const line = buffer.indexOf('\r\n');
      if (line === -1) {
        this.chunkTail = buffer;
        return false;
      }
      const size = parseInt(buffer.toString('latin1', 0, line), 16);
      if (size === 0) {
        if (buffer.length < line + 4) {
          this.chunkTail = buffer;
          return false;
        }
        return true;
      }
      this.remaining = size + 2; // the data and its CRLF
      buffer = buffer.subarray(line + 2);
    }
  }
}
