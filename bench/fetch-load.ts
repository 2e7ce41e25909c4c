/**
 * A load generator for large response bodies: `connections` keep-alive connections of
 * node:http's client (native llhttp parser), each sending GETs one after another for
 * `seconds` and discarding the bodies. autocannon parses responses in JavaScript and
 * keeps every body: it receives about 40 MB/s here, so it, not the server, would set
 * the payload figures.
 */
import { Agent, get } from 'node:http';
import type { Result } from './processes.js';

export interface Fetch {
  path: string;
  headers: Record<string, string>;
}

export async function getLoad(url: string, connections: number, seconds: number, next: () => Fetch): Promise<Result> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const connection = () =>
    new Promise<void>((resolve) => {
      const one = () => {
        if (performance.now() >= until) return resolve();
        const started = performance.now();
        const request = get({ agent, hostname, port, ...next() }, (response) => {
          if (response.statusCode! < 200 || response.statusCode! >= 300) failed++;
          response.resume();
          response.once('end', () => {
            latencies.push(performance.now() - started);
            one();
          });
        });
        request.once('error', () => {
          failed++;
          one();
        });
      };
      one();
    });
  await Promise.all(Array.from({ length: connections }, connection));
  agent.destroy();
  if (failed > 0) throw new Error(`benchmark requests failed: ${failed} not 2xx or errors`);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? Infinity) };
}
