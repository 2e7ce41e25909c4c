/**
 * The CLI's folder: where it is (--config, SIGILL_CONFIG_DIR, XDG_CONFIG_HOME, ~/.config),
 * and that what it writes is readable by its owner only.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDirFrom, openConfigDir, writePrivateFile } from '../../cli/config-dir.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the config folder', () => {
  it('is --config, else SIGILL_CONFIG_DIR, else $XDG_CONFIG_HOME/sigill, else ~/.config/sigill', () => {
    expect(configDirFrom({ SIGILL_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x' }, '/b')).toBe('/b');
    expect(configDirFrom({ SIGILL_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x' })).toBe('/a');
    expect(configDirFrom({ XDG_CONFIG_HOME: '/x' })).toBe('/x/sigill');
    expect(configDirFrom({})).toBe(join(homedir(), '.config', 'sigill'));
  });

  it('is made 0700 (an existing wider one is narrowed) and its files are 0600, whatever the umask', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sigill-config-'));
    const path = join(parent, 'deep', 'sigill');
    const previous = process.umask(0o000);
    try {
      const folder = openConfigDir(path);
      folder.write('settings.json', { serverUrl: 'http://localhost:8787' });
      expect(mode(path)).toBe(0o700);
      expect(mode(join(path, 'settings.json'))).toBe(0o600);
      expect(folder.read('settings.json')).toEqual({ serverUrl: 'http://localhost:8787' });
      expect(folder.read('missing.json')).toBeUndefined();

      const wide = join(parent, 'wide');
      mkdirSync(wide, { mode: 0o755 });
      openConfigDir(wide).write('a.json', 1);
      expect(mode(wide)).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });

  it('replaces a file whole (no partial file left) and keeps it 0600 when it was wider before', () => {
    const path = mkdtempSync(join(tmpdir(), 'sigill-config-'));
    const file = join(path, 'keys.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    writePrivateFile(file, 'new');
    expect(mode(file)).toBe(0o600);
    expect(readdirSync(path)).toEqual(['keys.json']);
  });

  it('refuses a damaged file with its own code instead of starting over', () => {
    const path = mkdtempSync(join(tmpdir(), 'sigill-config-'));
    writeFileSync(join(path, 'receipt-keys.json'), '{"current":');
    expect(() => openConfigDir(path).read('receipt-keys.json')).toThrow(expect.objectContaining({ code: 'config_damaged' }));
  });
});
