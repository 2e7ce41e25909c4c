import { randomBytes } from 'node:crypto';
import { encodeBase64url } from '../../../shared/base64url.js';
import type { MetaStore } from '../types.js';
import { query, type Db } from './database.js';

/** Per-database values (random secrets shared by every process). */
export function libsqlMeta(db: Db): MetaStore {
  return {
    async secret(name) {
      query(db, 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(name, encodeBase64url(randomBytes(32)));
      return query<{ value: string }>(db, 'SELECT value FROM meta WHERE key = ?').get(name)!.value;
    },
  };
}
