/**
 * Scale-out figures (issue 11, printed for reference, no target): Sigill on PostgreSQL and
 * an S3 API server against the embedded back end, and two processes on PostgreSQL
 * against one, for create + 64 KiB upload and link fetch. PostgreSQL is a throwaway
 * cluster on a Unix socket (fsync off, as in the tests), the object store s3rver in its
 * own process: the figures compare back ends on this machine, not production hardware.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster } from '../test/support/postgres-cluster.js';
import { median, printRatio, takeTurns } from './report.js';
import { connections, createAndUpload, linkFetches, load, seedLinks, startChild, type Result } from './server.js';

const rounds = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
const prefix = '/api/v1';
const sigillReady = /Sigill is running at/;
const tokenShown = /sgl_[A-Za-z0-9_-]{43}/;

type Server = Parameters<typeof load>[0];

/** The same load spread over several processes at once (as a load balancer would): rates and CPU add up. */
async function loadAll(servers: Server[], requests: () => Parameters<typeof load>[1]): Promise<Result> {
  const results = await Promise.all(servers.map((server) => load(server, requests(), Math.ceil(connections / servers.length))));
  const sum = (pick: (result: Result) => number) => results.reduce((total, result) => total + pick(result), 0);
  return { rps: sum((r) => r.rps), p99: Math.max(...results.map((r) => r.p99)), generator: results[0]!.generator, serverCpu: sum((r) => r.serverCpu), clientCpu: sum((r) => r.clientCpu) };
}

function reportRates(label: string, pairs: [baseline: Result, subject: Result][]): void {
  const rate = (rps: number) => `${rps.toFixed(0).padStart(6)} req/s`;
  printRatio(label, rate(median(pairs.map(([, s]) => s.rps))), rate(median(pairs.map(([b]) => b.rps))), median(pairs.map(([b, s]) => s.rps / b.rps)));
}

export async function benchScaleOut(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'sigill-bench-scale-'));
  const cluster = await startPostgresCluster({ watchPid: process.pid });
  const children: { child: { kill(signal: NodeJS.Signals): boolean } }[] = [];
  try {
    await cluster.createDatabase('bench');
    const s3 = await startChild(['bench/s3-server.ts'], {}, /blobs at s3:\/\/\S+/);
    children.push(s3);
    const blobUrl = /blobs at (s3:\/\/\S+)/.exec(s3.output)![1]!;
    const scaleEnv = {
      SIGILL_DATABASE_URL: cluster.url('bench'),
      SIGILL_BLOB_URL: blobUrl,
      SIGILL_S3_ACCESS_KEY_ID: 'S3RVER',
      SIGILL_S3_SECRET_ACCESS_KEY: 'S3RVER',
      // Shared by every process on one PostgreSQL (server/config.ts refuses it without them).
      SIGILL_RATE_LIMIT_SECRET: 'bench-rate-limit-secret-0123456789abcdef',
      SIGILL_WEBHOOK_KEY: Buffer.alloc(32, 7).toString('base64url'),
      SIGILL_ACCOUNT_KEY: Buffer.alloc(32, 9).toString('base64url'),
    };
    const base = { PORT: '0', SIGILL_LOG_LEVEL: 'warn', SIGILL_QUOTA_MESSAGES_PER_DAY: '100000000' }; // far more messages than a day's quota
    const embedded = await startChild(['server/main.ts'], { ...base, SIGILL_DATA_DIR: join(root, 'embedded'), SIGILL_DEMO_SENDER: 'true' }, tokenShown);
    children.push(embedded);
    const first = await startChild(['server/main.ts'], { ...base, ...scaleEnv, SIGILL_DATA_DIR: join(root, 'pg-1'), SIGILL_DEMO_SENDER: 'true' }, tokenShown);
    children.push(first);
    const second = await startChild(['server/main.ts'], { ...base, ...scaleEnv, SIGILL_DATA_DIR: join(root, 'pg-2'), SIGILL_DEMO_SENDER: 'false' }, sigillReady);
    children.push(second);
    const auth = (output: string) => ({ authorization: `Bearer ${tokenShown.exec(output)![0]}` });
    const embeddedAuth = auth(embedded.output);
    const scaleAuth = auth(first.output);

    console.log(`\nScale-out (reference, no target; ${rounds} paired rounds; a throwaway PostgreSQL cluster, s3rver)`);
    reportRates(
      'create + upload, postgres+s3',
      await takeTurns(rounds, { rounds: 1 }, () => load(embedded, createAndUpload(prefix, embeddedAuth)), () => load(first, createAndUpload(prefix, scaleAuth))),
    );
    const embeddedLinks = await seedLinks(embedded.url, tokenShown.exec(embedded.output)![0], 200);
    const scaleLinks = await seedLinks(first.url, tokenShown.exec(first.output)![0], 200);
    reportRates(
      'link fetch, postgres+s3',
      await takeTurns(rounds, { rounds: 1 }, () => load(embedded, linkFetches(prefix, embeddedLinks)), () => load(first, linkFetches(prefix, scaleLinks))),
    );
    reportRates(
      'create + upload, 2 vs 1 process',
      await takeTurns(rounds, { rounds: 1 }, () => loadAll([first], () => createAndUpload(prefix, scaleAuth)), () => loadAll([first, second], () => createAndUpload(prefix, scaleAuth))),
    );
    reportRates(
      'link fetch, 2 vs 1 process',
      await takeTurns(rounds, { rounds: 1 }, () => loadAll([first], () => linkFetches(prefix, scaleLinks)), () => loadAll([first, second], () => linkFetches(prefix, scaleLinks))),
    );
  } finally {
    for (const { child } of children) child.kill('SIGTERM');
    await cluster.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
