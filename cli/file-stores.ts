/**
 * client/'s injected stores on files in the config folder (0600 each, folder 0700):
 * the receipt key ring (`receipt-keys.json`), the sent log (`sent.json`: what was sent
 * and to whom, never a secret or a link) and client/'s SenderSettings (`settings.json`:
 * the server, the token and whose it is, the language of what recipients get).
 *
 * @example
 * const stores = fileStores(openConfigDir(path));
 * const ring = receiptKeyRing(stores.keys);
 */
import type { KeyRingStore, SenderSettings, SentLog, SentRecord, SettingsStore, StoredKeyRing } from '../client/index.js';
import type { ConfigDir } from './config-dir.js';
import { CliError } from './errors.js';

const files = { keys: 'receipt-keys.json', sent: 'sent.json', settings: 'settings.json' } as const;
/** The sent log keeps this many messages, newest first. */
const sentKept = 500;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function damaged(dir: ConfigDir, name: string): CliError {
  return new CliError('config_damaged', `${dir.path}/${name} is not what sigill wrote; remove it or restore it from a backup`);
}

export function fileStores(dir: ConfigDir): { keys: KeyRingStore; sent: SentLog; settings: SettingsStore<SenderSettings> } {
  const keys: KeyRingStore = {
    async load() {
      const value = dir.read(files.keys);
      if (value === undefined) return null;
      if (!isObject(value) || !isObject(value.current) || !Array.isArray(value.former)) throw damaged(dir, files.keys);
      return value as unknown as StoredKeyRing;
    },
    async save(ring) {
      dir.write(files.keys, ring);
    },
  };
  const readSent = (): SentRecord[] => {
    const value = dir.read(files.sent);
    if (value === undefined) return [];
    if (!isObject(value) || !Array.isArray(value.messages)) throw damaged(dir, files.sent);
    return value.messages as SentRecord[];
  };
  const sent: SentLog = {
    async add(record) {
      const messages = [record, ...readSent().filter((old) => old.messageId !== record.messageId)].slice(0, sentKept);
      dir.write(files.sent, { messages });
    },
    list: async () => readSent(),
  };
  const settings: SettingsStore<SenderSettings> = {
    async load() {
      const value = dir.read(files.settings);
      if (value === undefined) return {};
      if (!isObject(value)) throw damaged(dir, files.settings);
      return value as Partial<SenderSettings>;
    },
    async save(next) {
      dir.write(files.settings, next);
    },
  };
  return { keys, sent, settings };
}
