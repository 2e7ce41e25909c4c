/**
 * The storage back ends every server integration suite runs on: the embedded one (a
 * libsql file and the blob folder) and the scale-out one (a fresh database on the run's
 * throwaway PostgreSQL cluster, and a bucket on a real S3 API server). Suites iterate
 * with `describe.each(backends)('[$name] …')`, so every test name says its back end.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFileBlobStore } from '../../server/store/file-blobs.js';
import type { BlobStore } from '../../server/store/blob-store.js';
import { openLibsqlStore } from '../../server/store/libsql/index.js';
import { migrate } from '../../server/store/postgres/migrations.js';
import { openPool } from '../../server/store/postgres/pool.js';
import { openPostgresStore } from '../../server/store/postgres/index.js';
import type { Store } from '../../server/store/types.js';
import { POSTGRES_BIN } from '../support/postgres-cluster.js';
import { freshDatabase, templateDatabase, type TestDatabase } from '../support/postgres.js';

const run = promisify(execFile);

export type SqlParam = string | number | null;

export interface OpenedBackend {
  store: Store;
  blobs: BlobStore;
  /** The settings a server process needs for this back end (beside SIGILL_DATA_DIR). */
  env: Record<string, string>;
  /** Rows from the database, for tests that look at what is stored; `?` placeholders on both engines. */
  rows<Row>(sql: string, ...params: SqlParam[]): Promise<Row[]>;
  /** Where the database keeps its files, and a dump of it, for the storage audit. */
  databaseFiles(): Promise<{ folders: string[]; dump?: string }>;
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
      async databaseFiles() {
        return { folders: [dataDir] };
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
    // TODO(blobs): the S3 BlobStore on s3rver once branch `blobs` has it; the blob folder until then.
    const blobs = createFileBlobStore(dataDir);
    return {
      store,
      blobs,
      env: { SIGILL_DATABASE_URL: database.url },
      async rows<Row>(sql: string, ...params: SqlParam[]) {
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`);
        return (await store.pool.query(text, params)).rows as Row[];
      },
      async databaseFiles() {
        const { root, port, user } = database.cluster;
        const { stdout } = await run(join(POSTGRES_BIN, 'pg_dump'), ['-h', root, '-p', String(port), '-U', user, '-d', database.name], { maxBuffer: 256 * 1024 * 1024 });
        return { folders: [join(root, 'data'), dataDir], dump: stdout };
      },
      async close() {
        await Promise.all([store.close(), blobs.close()]);
        await database.drop();
      },
    };
  },
};

export const backends: readonly TestBackend[] = [embedded, scaleOut];
