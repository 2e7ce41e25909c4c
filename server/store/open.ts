import type { Config } from '../config.js';
import { createFileBlobStore } from './file-blobs.js';
import { openLibsqlStore } from './libsql/index.js';
import type { Storage } from './types.js';

/**
 * Opens the store and the blobs the configuration names: by default the libsql file
 * and the blob folder in the data folder.
 *
 * @example
 * const { store, blobs } = await openStorage(loadConfig());
 */
export async function openStorage(config: Pick<Config, 'dataDir'>): Promise<Storage> {
  return { store: openLibsqlStore(config.dataDir), blobs: createFileBlobStore(config.dataDir) };
}
