import { randomBytes } from 'node:crypto';
import { encodeBase64url } from '../../shared/base64url.js';
import type { Db } from './database.js';

/** A random value made once per database and kept in `meta` (shared by every process). */
export function databaseSecret(db: Db, key: string): string {
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, encodeBase64url(randomBytes(32)));
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value;
}
