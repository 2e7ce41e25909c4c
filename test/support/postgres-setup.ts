import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopCluster, type ClusterAddress } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** test/support/postgres.ts: where this run's cluster is started, once, on first need. */
    sigillPostgres: { folder: string; vitestPid: number };
  }
}

/**
 * vitest globalSetup: gives the run a folder in which the first test file that asks for
 * PostgreSQL starts the one cluster of the run (test/support/postgres.ts), so a run
 * without PostgreSQL tests pays nothing. The teardown stops it, also when tests failed;
 * if vitest itself is killed, the cluster's watchdog stops it.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'sigill-vitest-'));
  project.provide('sigillPostgres', { folder, vitestPid: process.pid });
  return async () => {
    const started = join(folder, 'cluster.json');
    if (existsSync(started)) await stopCluster(JSON.parse(readFileSync(started, 'utf8')) as ClusterAddress);
    rmSync(folder, { recursive: true, force: true });
  };
}
