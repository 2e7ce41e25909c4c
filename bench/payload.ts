/**
 * Payload fetch (a recipient's body, with a release token) at 50 connections, one
 * worker, beside the bare node:http server doing the same token lookup (one SHA-256,
 * one point select) and sending the same file (bare-server.ts), for a 48 KiB and a
 * 4 MiB payload. Targets: 0.8× throughput for both, and 0.8× p99 latency at 48 KiB. At
 * 4 MiB a 2-second round holds a few hundred requests of about a second each, so its
 * p99 is the slowest two or three of them: a reference line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealedLength } from '../shared/stream.js';
import { MiB, takeTurns } from './report.js';
import { cpuProfile, load, report, rounds, startChild, startSigill } from './processes.js';
import { seedBarePayloads, seedSigillPayloads } from './release.js';

/** Settings that let the benchmark verify its readers quickly and keep their tokens for the whole run. */
export const readerEnv = { SIGILL_COLLECT_INTERVAL_MS: '0', SIGILL_RELEASE_TOKEN_SECONDS: '3600', SIGILL_RATE_STARTS_PER_IP: '1000' };

export const payloadSizes = [
  { name: '48 KiB', bytes: sealedLength(48 * 1024 - 16), links: 20, p99Target: 0.8 },
  { name: '4 MiB', bytes: sealedLength(4 * MiB), links: 4, p99Target: undefined },
];

export async function benchPayloads(): Promise<boolean> {
  const root = mkdtempSync(join(tmpdir(), 'sigill-bench-'));
  const sigill = await startSigill(join(root, 'sigill'), 1, readerEnv);
  const bare = await startChild(['bench/bare-server.ts', join(root, 'bare')], {}, /listening/, cpuProfile);
  try {
    let allMet = true;
    for (const size of payloadSizes) {
      const payload = new Uint8Array(randomBytes(size.bytes));
      const ours = await seedSigillPayloads(sigill, payload, size.links);
      const theirs = await seedBarePayloads(bare.url, payload, size.links);
      const pairs = await takeTurns(
        rounds,
        { rounds: 1 },
        () => load(bare, theirs),
        () => load(sigill, ours),
      );
      allMet = report(`payload fetch ${size.name}`, pairs, { rps: 0.8, ...(size.p99Target ? { p99: size.p99Target } : {}) }) && allMet;
    }
    return allMet;
  } finally {
    sigill.stop();
    bare.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
