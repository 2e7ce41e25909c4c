import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * A development key in the data folder: 32 random bytes, base64url, mode 0600, made
 * once by the first process that asks (written beside, then linked into place, so a
 * process starting at the same moment reads a whole key) and read by the others. Used
 * when a key is not configured: the rate-limit secret, the webhook key, the gateway key.
 *
 * @example
 * const key = keyFile('./data', 'gateway.key'); // 'q3…' (43 characters)
 */
export function keyFile(dataDir: string, name: string): string {
  const path = join(dataDir, name);
  const read = () => {
    const text = readFileSync(path, 'utf8').trim();
    if (text.length < 43) throw new Error(`${path} is damaged: delete it and restart`);
    return text;
  };
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return read();
}
