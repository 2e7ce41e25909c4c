import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { connectCluster, startPostgresCluster, type ClusterAddress, type ClusterClient } from './postgres-cluster.js';

/**
 * A real PostgreSQL for tests: one throwaway cluster per vitest run, started by the first
 * test file that asks (test/support/postgres-setup.ts stops it), and a fresh database per
 * call, so test files never see each other's rows.
 *
 * @example
 * const database = await freshDatabase();
 * const store = await openPostgresStore(database.url);
 *
 * // Migrate once per run, then copy the migrated database for each test file:
 * const template = await templateDatabase('migrated', async (url) => { await migrate(url); });
 * const database = await freshDatabase({ template });
 */
export interface TestDatabase {
  readonly name: string;
  /** postgres://sigill@localhost/<name>?host=<socket folder>&port=5432 */
  readonly url: string;
  readonly cluster: ClusterAddress & ClusterClient;
  /** Drops the database, closing whatever is still connected. */
  drop(): Promise<void>;
}

const waitLimitMs = 120_000;
let cluster: Promise<ClusterAddress & ClusterClient> | undefined;

/** The run's cluster, started here if no other test file started it yet. */
export function postgresCluster(): Promise<ClusterAddress & ClusterClient> {
  cluster ??= onceInRun('cluster', async () => {
    const { vitestPid } = runContext();
    const started = await startPostgresCluster({ watchPid: vitestPid });
    return { root: started.root, port: started.port, user: started.user } satisfies ClusterAddress;
  }).then((address) => ({ ...address, ...connectCluster(address) }));
  return cluster;
}

export async function freshDatabase(options: { template?: string } = {}): Promise<TestDatabase> {
  const server = await postgresCluster();
  const name = `test_${randomBytes(6).toString('hex')}`;
  await server.createDatabase(name, options.template);
  return {
    name,
    url: server.url(name),
    cluster: server,
    drop: async () => {
      await server.psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A database prepared once per run (by whichever test file gets there first) for
 * freshDatabase({ template }) to copy. `prepare` must close its connections: PostgreSQL
 * copies only a database nobody is connected to. Returns the template's name.
 */
export async function templateDatabase(name: string, prepare: (url: string) => Promise<void>): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`a template name is lower-case letters, digits and _: ${name}`);
  const server = await postgresCluster();
  await onceInRun(`template-${name}`, async () => {
    await server.createDatabase(name);
    await prepare(server.url(name));
    return {};
  });
  return name;
}

function runContext(): { folder: string; vitestPid: number } {
  const context = inject('sigillPostgres');
  if (!context) throw new Error('test/support/postgres-setup.ts is not this vitest project\'s globalSetup (vitest.config.ts)');
  return context;
}

/**
 * Runs `work` in exactly one test worker of the run (mkdir is the lock: it succeeds once)
 * and hands its JSON result to every worker that asks.
 */
async function onceInRun<T>(key: string, work: () => Promise<T>): Promise<T> {
  const { folder } = runContext();
  const done = join(folder, `${key}.json`);
  const failed = join(folder, `${key}.failed`);
  let mine = true;
  try {
    mkdirSync(join(folder, `${key}.lock`));
  } catch {
    mine = false;
  }
  if (mine) {
    try {
      const result = await work();
      writeFileSync(`${done}.tmp`, JSON.stringify(result));
      renameSync(`${done}.tmp`, done); // whole, or not there
      return result;
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
  for (const deadline = Date.now() + waitLimitMs; Date.now() < deadline; await sleep(50)) {
    if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as T;
    if (existsSync(failed)) throw new Error(`another test file failed to prepare ${key}: ${readFileSync(failed, 'utf8')}`);
  }
  throw new Error(`${key} was not ready after ${waitLimitMs / 1000} s`);
}
