import type { Config } from '../config.js';
import { createFileBlobStore } from './file-blobs.js';
import { openLibsqlStore } from './libsql/index.js';
import { openPostgresStore } from './postgres/index.js';
import type { Storage } from './types.js';

/**
 * Opens the store and the blobs the configuration names: by default the libsql file
 * and the blob folder in the data folder; PostgreSQL with SIGILL_DATABASE_URL.
 *
 * @example
 * const { store, blobs } = await openStorage(loadConfig());
 */
export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Storage> {
  const store = config.databaseUrl ? await openPostgresStore(config.databaseUrl) : openLibsqlStore(config.dataDir);
  return { store, blobs: createFileBlobStore(config.dataDir) };
}
