/**
 * `npm start` with a worker per core against one worker, on this machine, in the same
 * run: link fetch, payload fetch (48 KiB) and create + 64 KiB upload at 50 connections.
 * Targets on 2 cores: 1.6× link and payload fetch, 1.3× create + upload (SQLite takes
 * one writer at a time). The load generator runs on the same cores, and a second worker
 * can only be faster when a second core is free: the lines say the machine's load and
 * the CPU each side got, and the most the measured costs per request allow when every core
 * is theirs (ceiling()). With BENCH_CPU_PROF, the workers' profiles give the time spent
 * trying for SQLite's one write lock (lock-wait.ts).
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { childrenOf } from './http-load.js';
import { lockWaitOf } from './lock-wait.js';
import { takeTurns } from './report.js';
import { payloadSizes, readerEnv } from './payload.js';
import { load, report, rounds, startSigill, type Result } from './processes.js';
import { seedSigillPayloads } from './release.js';
import { createAndUpload, linkFetches, seedLinks } from './server.js';

export async function benchWorkers(): Promise<boolean> {
  const cores = availableParallelism();
  const root = mkdtempSync(join(tmpdir(), 'sigill-bench-'));
  const one = await startSigill(join(root, 'one'), 1, readerEnv);
  const all = await startSigill(join(root, 'all'), cores, readerEnv);
  const prefix = '/api/v1';
  const fetchTarget = cores >= 2 ? 1.6 : undefined;
  const writeTarget = cores >= 2 ? 1.3 : undefined;
  try {
    let allMet = true;
    const measure = async (name: string, target: number | undefined, run: (server: typeof one) => Promise<Result>) => {
      const pairs = await takeTurns(rounds, { rounds: 1 }, () => run(one), () => run(all));
      allMet = report(`${cores} workers / 1, ${name}`, pairs, target === undefined ? {} : { rps: target }) && allMet;
      const most = ceiling(pairs, cores);
      if (Number.isFinite(most)) {
        const verdict = target !== undefined && most < target ? `: below the ${target}× target, which these costs cannot reach on this machine` : '';
        console.log(`  at most ${most.toFixed(2)}× with these costs: the workers' and the load generator's CPU per request, with all ${cores} cores theirs${verdict}`);
      }
    };
    const links = new Map<typeof one, string[]>();
    for (const server of [one, all]) links.set(server, await seedLinks(server.url, server.token, 200));
    await measure('link fetch', fetchTarget, (server) => load(server, linkFetches(prefix, links.get(server)!)));

    const payload = new Uint8Array(randomBytes(payloadSizes[0]!.bytes));
    const readable = new Map<typeof one, Awaited<ReturnType<typeof seedSigillPayloads>>>();
    for (const server of [one, all]) readable.set(server, await seedSigillPayloads(server, payload, 20));
    await measure(`payload fetch ${payloadSizes[0]!.name}`, fetchTarget, (server) => load(server, readable.get(server)!));

    await measure('create + 64 KiB upload', writeTarget, (server) => load(server, createAndUpload(prefix, { authorization: `Bearer ${server.token}` })));
    const [load1] = loadavg();
    console.log(`  (load average ${load1!.toFixed(1)} on ${cores} cores while measuring: ${load1! > cores ? 'the cores were busy with other work, so more workers cannot show their gain' : 'cores were free'})`);
    const pids = new Map([one, all].map((server) => [server, processesOf(server.child.pid!)]));
    await Promise.all([one, all].map(stopped));
    if (process.env.BENCH_CPU_PROF) {
      for (const [server, label] of [[one, '1 worker'], [all, `${cores} workers`]] as const) {
        const { lockMs, writeMs, busyMs } = lockWaitOf(process.env.BENCH_CPU_PROF, pids.get(server)!);
        const share = (ms: number) => `${((100 * ms) / busyMs).toFixed(1)} %`;
        console.log(`  SQLite, ${label}: trying for the write lock ${lockMs.toFixed(0)} ms (${share(lockMs)} of the processes' busy time), in write transactions ${writeMs.toFixed(0)} ms (${share(writeMs)})`);
      }
    }
    return allMet;
  } finally {
    one.stop();
    all.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The ratio the all-workers rounds would reach with every core busy at their own CPU
 * per request (server and load generator, which share the cores), the median over the
 * rounds: ratio × cores / (server cores + generator cores). A target above it cannot be
 * shown on this machine whatever the workers do, short of costing less per request.
 * NaN without /proc.
 */
export function ceiling(pairs: [one: Result, all: Result][], cores: number): number {
  const most = pairs.map(([one, all]) => ((all.rps / one.rps) * cores) / (all.serverCpu + all.clientCpu)).sort((a, b) => a - b);
  return most.length === 0 ? NaN : most[Math.floor(most.length / 2)]!;
}

/** A server process and its node:cluster workers. */
function processesOf(pid: number): number[] {
  try {
    return [pid, ...childrenOf(pid)];
  } catch {
    return [pid]; // no /proc: the primary alone
  }
}

/** Stops a server and waits until it and its workers have exited (and written their profiles). */
function stopped(server: { child: ChildProcess; stop(): void }): Promise<void> {
  if (server.child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.stop();
  return exited;
}
