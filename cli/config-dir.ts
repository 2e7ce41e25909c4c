/**
 * The CLI's folder: `--config DIR`, else SIGILL_CONFIG_DIR, else
 * `$XDG_CONFIG_HOME/sigill`, else `~/.config/sigill`. It holds the sign-in, the receipt
 * key ring, the sent log and the settings, each a JSON file only its owner may read
 * (0600) in a folder only its owner may enter (0700). Writes go to a fresh file that
 * replaces the old one, so a crash never leaves half a file. Links are never written.
 *
 * @example
 * const folder = openConfigDir(configDirFrom(process.env));
 * folder.write('settings.json', { language: 'sv' });
 */
import { chmodSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, closeSync, fsyncSync } from 'node:fs';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError } from './errors.js';

export function configDirFrom(env: NodeJS.ProcessEnv, option?: string): string {
  if (option !== undefined && option !== '') return resolve(option);
  if (env.SIGILL_CONFIG_DIR) return resolve(env.SIGILL_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config');
  return join(base, 'sigill');
}

export interface ConfigDir {
  readonly path: string;
  /** The parsed file, or undefined when it does not exist. */
  read(name: string): unknown;
  write(name: string, value: unknown): void;
  /**
   * Like `write`, off the event loop and without the fsync (the rename still replaces the
   * file whole): for a file rewritten often whose last version may be lost on a power cut.
   */
  writeInBackground(name: string, value: unknown): Promise<void>;
  remove(name: string): void;
}

export function openConfigDir(path: string): ConfigDir {
  const file = (name: string) => join(path, name);
  return {
    path,
    read(name) {
      let text: string;
      try {
        text = readFileSync(file(name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new CliError('config_unreadable', `cannot read ${file(name)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CliError('config_damaged', `${file(name)} is not valid JSON; remove it or restore it from a backup`);
      }
    },
    write(name, value) {
      ensureFolder(path);
      writePrivateFile(file(name), `${JSON.stringify(value, null, 2)}\n`);
    },
    async writeInBackground(name, value) {
      ensureFolder(path);
      const target = file(name);
      const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
        await chmod(partial, 0o600);
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw new CliError('file_unwritable', `cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    },
    remove(name) {
      rmSync(file(name), { force: true });
    },
  };
}

/** Makes the folder (0700) or narrows an existing one to 0700. */
function ensureFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o700);
  } catch (error) {
    throw new CliError('config_unwritable', `cannot use the folder ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * Writes `text` to `path` with mode 0600: a new file beside it, flushed, then renamed
 * over the old one. Also used for the key backup that `sigill keys export` writes.
 */
export function writePrivateFile(path: string, text: string): void {
  const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
  try {
    const fd = openSync(partial, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(partial, 0o600); // the umask may have narrowed it further, never widened; keep exactly 0600
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new CliError('file_unwritable', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
