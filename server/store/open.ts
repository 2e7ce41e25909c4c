import type { Config } from '../config.js';
import { createFileBlobStore } from './file-blobs.js';
import { openLibsqlStore } from './libsql/index.js';
import { openPostgresStore } from './postgres/index.js';
import { createS3BlobStore } from './s3-blobs.js';
import type { Storage } from './types.js';

/**
 * Opens the store and the blobs the configuration names: by default the libsql file
 * and the blob folder in the data folder; PostgreSQL with SIGILL_DATABASE_URL, an
 * S3-compatible object store with SIGILL_BLOB_URL (either alone or both).
 *
 * @example
 * const { store, blobs } = await openStorage(loadConfig());
 */
export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'blobStore'> & Partial<Pick<Config, 'workers'>>): Promise<Storage> {
  const store = config.databaseUrl ? await openPostgresStore(config.databaseUrl) : openLibsqlStore(config.dataDir);
  const blobs = config.blobStore ? createS3BlobStore(config.blobStore) : createFileBlobStore(config.dataDir, { smallReads: (config.workers ?? 1) > 1 ? 'sync' : 'thread-pool' });
  return { store, blobs };
}
