/**
 * What the server benchmarks share: server processes started as children, load from
 * wrk (wrk-load.ts) or from this process (http-load.ts), the bodies they send, and the
 * result lines of a measure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { httpLoad, type LoadRequest, type NextRequest, type Result } from './http-load.js';
import { loadavg } from 'node:os';
import { median, printRatio } from './report.js';
import { wrkLoad, wrkPath } from './wrk-load.js';

export const seconds = Number(process.env.BENCH_SECONDS ?? 2);
/** Baseline and subject take turns this many times, in short rounds (takeTurns). */
export const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
export const connections = 50;
export const id = () => randomBytes(16).toString('base64url');

/** BENCH_CPU_PROF=<folder>: node's flags that write a CPU profile of a server process there. */
export const cpuProfile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

export interface Child {
  child: ChildProcess;
  url: string;
  output: string;
  stop(): void;
}

/** Starts a server process; ready once its output matches `ready`. */
export async function startChild(args: string[], env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // npm start prints http://localhost:<port>; the load goes to the address it listens on.
      const url = /(http:\/\/(?:[\d.]+|localhost):\d+)/.exec(output)?.[1]?.replace('//localhost:', '//127.0.0.1:');
      if (url && ready.test(output)) {
        resolve({
          child,
          url,
          get output() {
            return output; // everything printed so far, also later
          },
          stop: () => void child.kill('SIGTERM'),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code})`)));
  });
}

/**
 * Sigill as `npm start` runs it (development defaults, the demo sender), with `workers`
 * workers. BENCH_CPU_PROF=<folder> writes a CPU profile of each of its processes there
 * (node --cpu-prof; the workers inherit it), to see where a figure goes.
 */
export async function startSigill(dataDir: string, workers: number, env: Record<string, string> = {}): Promise<Child & { token: string; testAppUrl: string }> {
  const sigill = await startChild(
    ['server/main.ts'],
    // The benchmark creates far more messages than a sender's daily quota allows.
    { PORT: '0', SIGILL_WORKERS: String(workers), SIGILL_DATA_DIR: dataDir, SIGILL_LOG_LEVEL: 'warn', SIGILL_DEMO_SENDER: 'true', SIGILL_QUOTA_MESSAGES_PER_DAY: '100000000', ...env },
    /sgl_[A-Za-z0-9_-]{43}/,
    cpuProfile,
  );
  const token = /(sgl_[A-Za-z0-9_-]+)/.exec(sigill.output)![1]!;
  const testAppUrl = /BankID test app\s+(\S+)/.exec(sigill.output)?.[1] ?? '';
  return Object.assign(sigill, { token, testAppUrl });
}

export type { Result } from './http-load.js';

/** wrk's path, looked up once (undefined: http-load.ts for every line). */
const wrk = wrkPath();

/**
 * `seconds` of load on a server process from `connectionCount` connections; its CPU time
 * is measured too. A list of requests, taken in turn, goes through wrk when it is on
 * PATH; a function of each connection's last answer (create + upload), or any list
 * without wrk, through http-load.ts. The result names the generator.
 */
export async function load(server: Pick<Child, 'url' | 'child'> & { output?: string }, requests: LoadRequest[] | NextRequest, connectionCount = connections): Promise<Result> {
  const serverPid = server.child.pid === undefined ? {} : { serverPid: server.child.pid };
  try {
    if (Array.isArray(requests) && wrk) return await wrkLoad(wrk, server.url, { connections: connectionCount, seconds, requests, ...serverPid });
    return await httpLoad(server.url, { connections: connectionCount, seconds, next: Array.isArray(requests) ? inTurn(requests) : requests, ...serverPid });
  } catch (error) {
    // The server's own error lines say why (pino level 50 and above).
    const logged = (server.output ?? '').split('\n').filter((line) => /"level":(5|6)\d/.test(line));
    throw new Error(`${(error as Error).message}${logged.length > 0 ? `; the server logged:\n${logged.slice(-5).join('\n')}` : ''}`, { cause: error });
  }
}

/** Each request of the list in turn, across the connections. */
function inTurn(requests: LoadRequest[]): NextRequest {
  let next = 0;
  return () => requests[next++ % requests.length]!;
}

/** A message creation body with one payload of `length` bytes for one link. */
export function createBody(messageId: string, linkId: string, length: number, fields: { authVerifier?: string; tags?: string[] | '*' } = {}): string {
  return JSON.stringify({
    messageId,
    errand: randomBytes(80).toString('base64url'),
    authVerifier: fields.authVerifier ?? randomBytes(32).toString('base64url'),
    receiptKey: randomBytes(32).toString('base64url'),
    payloads: [{ index: 0, length }],
    recipients: [{ linkId, tags: fields.tags ?? [randomBytes(32).toString('base64url')] }],
  });
}

/**
 * Requests per second (ours / baseline) and p99 latency (baseline / ours), each against
 * its target (none: reference only), then for reference the requests per server
 * CPU-second (what each answer costs the server, whatever else the cores were doing)
 * and the load generator's CPU. The figures are medians over the rounds; the ratio is
 * the median of the rounds' ratios.
 */
export function report(name: string, pairs: [baseline: Result, ours: Result][], targets: { rps?: number; p99?: number }): boolean {
  const rate = (rps: number) => `${rps.toFixed(0).padStart(6)} req/s`;
  const p99 = (ms: number) => `${ms.toFixed(1).padStart(6)} ms p99`;
  const perCpu = (result: Result) => result.rps / result.serverCpu;
  const mid = (pick: (pair: [Result, Result]) => number) => median(pairs.map(pick));
  const throughput = printRatio(`${name}, throughput`, rate(mid(([, ours]) => ours.rps)), rate(mid(([base]) => base.rps)), mid(([base, ours]) => ours.rps / base.rps), targets.rps);
  const latency = printRatio(`${name}, p99 latency`, p99(mid(([, ours]) => ours.p99)), p99(mid(([base]) => base.p99)), mid(([base, ours]) => base.p99 / ours.p99), targets.p99);
  const perCpuText = (value: number) => `${value.toFixed(0).padStart(6)} req/cpu-s`;
  printRatio(`${name}, per server CPU-s`, perCpuText(mid(([, ours]) => perCpu(ours))), perCpuText(mid(([base]) => perCpu(base))), mid(([base, ours]) => perCpu(ours) / perCpu(base)));
  const cores = (pick: (result: Result) => number) => `${mid(([, ours]) => pick(ours)).toFixed(2)} (baseline ${mid(([base]) => pick(base)).toFixed(2)})`;
  const generator = [...new Set(pairs.flat().map((result) => result.generator))].join(' and ');
  console.log(`  CPU in cores: server ${cores((result) => result.serverCpu)}, load generator (${generator}, ${connections} connections) ${cores((result) => result.clientCpu)}; load average ${loadavg()[0]!.toFixed(1)}`);
  return throughput && latency;
}
