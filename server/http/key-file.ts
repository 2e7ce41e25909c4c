import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';

/**
 * A 32-byte key from configuration (base64url), or else a key file in the data folder
 * (base64url, mode 0600) made once: written beside, then linked into place, so a process
 * starting at the same time reads a whole key. Never a row in the database.
 *
 * @example
 * const key = configuredKey(config.accountKey, config.dataDir, 'account.key');
 */
const keys = new Map<string, Buffer>();

export function configuredKey(configured: string, dataDir: string, fileName: string): Buffer {
  if (configured) return Buffer.from(decodeBase64url(configured));
  const path = join(dataDir, fileName);
  let key = keys.get(path);
  if (key) return key;
  try {
    key = Buffer.from(decodeBase64url(readFileSync(path, 'utf8').trim()));
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, encodeBase64url(randomBytes(32)), { mode: 0o600 });
    try {
      linkSync(draft, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft, { force: true });
    }
    key = Buffer.from(decodeBase64url(readFileSync(path, 'utf8').trim()));
  }
  if (key.length !== 32) throw new Error(`${path} is damaged: it must hold base64url of 32 bytes`);
  keys.set(path, key);
  return key;
}
