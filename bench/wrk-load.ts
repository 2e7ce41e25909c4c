/**
 * The fetch benchmarks' load generator when wrk is on PATH (Debian's package `wrk`): wrk
 * in C with one thread and `connections` keep-alive connections, which costs a fraction
 * of any generator in Node for the same answers (README, Benchmarks), so a server gets
 * the cores a Node generator would take. The benchmark writes a Lua script for it: the
 * requests, encoded once exactly as http-load.ts encodes them (same headers: the
 * authorization, the cookie), a `request()` hook that takes them in turn, and a `done()`
 * hook that prints requests, duration, latency percentiles, errors, and wrk's own CPU
 * time from /proc/self/stat, as one JSON line. wrk counts answers of 400 and above
 * (`errors.status`); without a `response()` hook (which would copy every body into
 * Lua) it cannot see a 1xx or 3xx, so each distinct GET is first sent once and must
 * answer 2xx. Any refused answer or socket error fails the run.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { cpuSecondsOf, encodeRequest, type LoadRequest, type Result } from './http-load.js';

/** wrk's path when it is on PATH and BENCH_LOAD_GENERATOR does not say http-load; undefined otherwise. */
export function wrkPath(): string | undefined {
  const wanted = process.env.BENCH_LOAD_GENERATOR;
  if (wanted !== undefined && wanted !== 'wrk' && wanted !== 'http-load') throw new Error(`BENCH_LOAD_GENERATOR is wrk or http-load, not ${wanted}`);
  if (wanted === 'http-load') return undefined;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, 'wrk');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  if (wanted === 'wrk') throw new Error('BENCH_LOAD_GENERATOR=wrk, but wrk is not on PATH (apt-get install wrk)');
  return undefined;
}

/** What the script's done() hook prints after this marker. */
const marker = 'sigill-bench-wrk ';

interface WrkSummary {
  requests: number;
  durationUs: number;
  latencyUs: { p50: number; p90: number; p99: number; max: number };
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  cpuTicks: number;
}

/** Drives `url` with wrk through `requests` in turn, from `connections` connections for `seconds`; throws if any answer was refused. */
export async function wrkLoad(wrk: string, url: string, { connections, seconds, requests, serverPid }: { connections: number; seconds: number; requests: LoadRequest[]; serverPid?: number }): Promise<Result> {
  const { hostname, port } = new URL(url);
  const wire = requests.map((request) => Buffer.concat(encodeRequest(request, `${hostname}:${port}`)));
  await preflight(url, requests);
  const folder = mkdtempSync(join(tmpdir(), 'sigill-bench-wrk-'));
  const script = join(folder, 'requests.lua');
  writeFileSync(script, luaScript(wire));
  try {
    const serverBefore = cpuSecondsOf(serverPid);
    const started = performance.now();
    // wrk takes whole seconds; a timeout far beyond any answer, so none is dropped from the latencies.
    const output = await run(wrk, ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '60s', '-s', script, url]);
    const elapsed = (performance.now() - started) / 1000;
    const serverCpu = (cpuSecondsOf(serverPid) - serverBefore) / elapsed;
    const line = output.split('\n').find((each) => each.startsWith(marker));
    if (!line) throw new Error(`wrk printed no summary:\n${output}`);
    const summary = JSON.parse(line.slice(marker.length)) as WrkSummary;
    const { errors } = summary;
    const failed = Object.entries(errors).filter(([, count]) => count > 0);
    if (failed.length > 0) throw new Error(`benchmark requests failed (wrk): ${failed.map(([kind, count]) => `${count} × ${kind === 'status' ? 'status ≥ 400' : `${kind} error`}`).join(', ')}`);
    if (summary.requests === 0) throw new Error('wrk completed no request');
    const duration = summary.durationUs / 1e6;
    return {
      rps: summary.requests / duration,
      p99: summary.latencyUs.p99 / 1000,
      generator: 'wrk',
      clientCpu: summary.cpuTicks < 0 ? NaN : summary.cpuTicks / 100 / duration, // USER_HZ
      serverCpu,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The Lua script: the requests as byte strings, taken in turn, and a done() hook that prints one JSON line. */
function luaScript(wire: Buffer[]): string {
  return `-- Written by bench/wrk-load.ts for one run.
local requests = {
${wire.map((bytes) => `  ${luaString(bytes)},`).join('\n')}
}
local count = #requests
local turn = 0

function request()
  turn = turn % count + 1
  return requests[turn]
end

-- utime + stime of this process (all its threads), in clock ticks; -1 without /proc.
local function cpuTicks()
  local file = io.open("/proc/self/stat", "r")
  if not file then return -1 end
  local stat = file:read("*a")
  file:close()
  local fields = {}
  for field in stat:match("%) (.*)"):gmatch("%S+") do fields[#fields + 1] = field end
  return tonumber(fields[12]) + tonumber(fields[13])
end

function done(summary, latency)
  local e = summary.errors
  io.write(string.format('${marker}{"requests":%.0f,"durationUs":%.0f,"latencyUs":{"p50":%.0f,"p90":%.0f,"p99":%.0f,"max":%.0f},"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},"cpuTicks":%.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, cpuTicks()))
end
`;
}

/** A Lua string literal of any bytes: printable ASCII as it is, everything else as a three-digit decimal escape. */
function luaString(bytes: Buffer): string {
  let text = '"';
  for (const byte of bytes) {
    if (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c) text += String.fromCharCode(byte);
    else text += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${text}"`;
}

/** Each distinct GET or HEAD once, which must answer 2xx: what wrk's count of errors cannot see (1xx, 3xx). */
async function preflight(url: string, requests: LoadRequest[]): Promise<void> {
  for (const request of new Set(requests)) {
    if (request.method !== 'GET' && request.method !== 'HEAD') continue;
    const status = await new Promise<number>((resolve, reject) => {
      const sent = httpRequest(new URL(request.path, url), { method: request.method, headers: request.headers ?? {} }, (answer) => {
        answer.resume();
        answer.once('end', () => resolve(answer.statusCode ?? 0));
      });
      sent.once('error', reject);
      sent.end();
    });
    if (status < 200 || status >= 300) throw new Error(`benchmark request ${request.method} ${request.path.replace(/[^/]{16,}/g, '…')} answered ${status} before the run`);
  }
}

/** Runs a program to its end; its standard output, or an error with what it printed. */
function run(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve(output) : reject(new Error(`wrk exited ${code ?? signal}:\n${output}`))));
  });
}
