/**
 * The storage back ends every server integration suite runs on: the embedded one (a
 * libsql file and the blob folder) and the scale-out one (a fresh database on the run's
 * throwaway PostgreSQL cluster, and a bucket on a real S3 API server). Suites iterate
 * with `describeEachBackend('…', (backend) => …)`, so every test name says its back end.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe } from 'vitest';
import { parseBlobUrl } from '../../server/store/blob-config.js';
import { createFileBlobStore } from '../../server/store/file-blobs.js';
import { createS3BlobStore } from '../../server/store/s3-blobs.js';
import type { BlobStore } from '../../server/store/blob-store.js';
import { databasePath } from '../../server/store/libsql/database.js';
import { openLibsqlStore } from '../../server/store/libsql/index.js';
import { migrate } from '../../server/store/postgres/migrations.js';
import { openPool } from '../../server/store/postgres/pool.js';
import { openPostgresStore } from '../../server/store/postgres/index.js';
import type { Store } from '../../server/store/types.js';
import { POSTGRES_BIN } from '../support/postgres-cluster.js';
import { freshDatabase, templateDatabase, type TestDatabase } from '../support/postgres.js';
import { startS3Server } from '../support/s3.js';

const run = promisify(execFile);

export type SqlParam = string | number | null;

/** A named stretch of stored bytes. */
export type Place = [name: string, content: Buffer];

const filesUnder = (folder: string): string[] =>
  existsSync(folder) ? readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((name) => join(folder, name)).filter((path) => statSync(path).isFile()) : [];
const read = (paths: string[], kind: string): Place[] => paths.map((path) => [`${kind} ${path}`, readFileSync(path)]);

export interface OpenedBackend {
  store: Store;
  blobs: BlobStore;
  /** The settings a server process needs for this back end (beside SIGILL_DATA_DIR). */
  env: Record<string, string>;
  /** Rows from the database, for tests that look at what is stored; `?` placeholders on both engines. */
  rows<Row>(sql: string, ...params: SqlParam[]): Promise<Row[]>;
  /**
   * Everything this back end keeps at rest, for the storage audit: the database's own
   * files (flushed first) and, for PostgreSQL, a pg_dump; every blob or object.
   */
  placesAtRest(): Promise<Place[]>;
  /** Takes the database away under the running store (PostgreSQL only: the database is dropped). */
  dropDatabase?(): Promise<void>;
  close(): Promise<void>;
}

export interface TestBackend {
  name: 'libsql' | 'postgres+s3';
  open(dataDir: string): Promise<OpenedBackend>;
}

const embedded: TestBackend = {
  name: 'libsql',
  async open(dataDir) {
    const store = openLibsqlStore(dataDir);
    const blobs = createFileBlobStore(dataDir);
    return {
      store,
      blobs,
      env: {},
      async rows<Row>(sql: string, ...params: SqlParam[]) {
        return store.db.prepare(sql).all(...params) as Row[];
      },
      async placesAtRest() {
        const database = databasePath(dataDir);
        return [
          ['database', readFileSync(database)],
          ['WAL', existsSync(`${database}-wal`) ? readFileSync(`${database}-wal`) : Buffer.alloc(0)],
          ...read(filesUnder(join(dataDir, 'blobs')), 'blob'),
        ];
      },
      async close() {
        await Promise.all([store.close(), blobs.close()]);
      },
    };
  },
};

/** A database migrated once per run, copied for each test (faster than migrating each). */
async function migratedDatabase(): Promise<TestDatabase> {
  const template = await templateDatabase('sigill_migrated', async (url) => {
    const pool = openPool(url);
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  });
  return freshDatabase({ template });
}

const scaleOut: TestBackend = {
  name: 'postgres+s3',
  async open(dataDir) {
    const database = await migratedDatabase();
    const store = await openPostgresStore(database.url);
    const s3 = await startS3Server();
    const env = {
      SIGILL_DATABASE_URL: database.url,
      SIGILL_BLOB_URL: s3.blobUrl,
      SIGILL_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      SIGILL_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      ...sharedSecretsEnv,
    };
    const blobs = createS3BlobStore(parseBlobUrl(s3.blobUrl, env));
    return {
      store,
      blobs,
      env,
      async rows<Row>(sql: string, ...params: SqlParam[]) {
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`);
        return (await store.pool.query(text, params)).rows as Row[];
      },
      async placesAtRest() {
        const { root, port, user } = database.cluster;
        // Written out now: the table files, not only the WAL and shared memory, hold every row.
        await store.pool.query('CHECKPOINT');
        const [{ oid }] = (await store.pool.query<{ oid: number }>('SELECT oid::integer AS oid FROM pg_database WHERE datname = current_database()')).rows as [{ oid: number }];
        const { stdout } = await run(join(POSTGRES_BIN, 'pg_dump'), ['-h', root, '-p', String(port), '-U', user, '-d', database.name], { maxBuffer: 256 * 1024 * 1024 });
        return [
          ...read(filesUnder(join(root, 'data', 'base', String(oid))), 'database file'),
          ...read(filesUnder(join(root, 'data', 'pg_wal')), 'WAL'),
          ['pg_dump', Buffer.from(stdout)],
          ...read(filesUnder(s3.directory), 'bucket'),
        ];
      },
      dropDatabase: () => database.drop(),
      async close() {
        await Promise.all([store.close(), blobs.close()]);
        await Promise.all([database.drop(), s3.close()]);
      },
    };
  },
};

export const backends: readonly TestBackend[] = [embedded, scaleOut];

/** `describe` once per back end, named `[libsql] title` and `[postgres+s3] title`. */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of backends) describe(`[${backend.name}] ${title}`.trimEnd(), () => body(backend));
}

/** What every process on one PostgreSQL must share (server/config.ts refuses PostgreSQL without them). */
export const sharedSecretsEnv = {
  SIGILL_RATE_LIMIT_SECRET: 'test-rate-limit-secret-0123456789abcdef',
  SIGILL_WEBHOOK_KEY: Buffer.alloc(32, 7).toString('base64url'),
  SIGILL_ACCOUNT_KEY: Buffer.alloc(32, 9).toString('base64url'),
};
