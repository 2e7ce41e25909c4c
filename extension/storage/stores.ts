/**
 * client/'s injected stores on the extension's own IndexedDB (storage/database.ts): the
 * receipt key ring, the sent log and the settings. Used by the worker only.
 *
 * @example
 * const ring = receiptKeyRing(keyRingStore);
 * await sentLog.add(record);
 */
import { receiptKeyRing, type KeyRingStore, type SentLog, type SentRecord, type SettingsStore, type StoredKeyRing } from '../../client/index.js';
import { get, put } from './database.js';

/** How many sent records are kept (the server keeps the rest, with sealed labels). */
const keptRecords = 200;

export const keyRingStore: KeyRingStore = {
  load: async () => (await get<StoredKeyRing>('kv', 'receiptKeys')) ?? null,
  save: (ring) => put('kv', 'receiptKeys', ring),
};

export const sentLog: SentLog = {
  list: async () => (await get<SentRecord[]>('kv', 'sent')) ?? [],
  async add(record) {
    const records = [record, ...(await this.list()).filter((old) => old.messageId !== record.messageId)].slice(0, keptRecords);
    await put('kv', 'sent', records);
  },
};

export function settingsStore<T>(key: string): SettingsStore<T> {
  return {
    load: async () => (await get<Partial<T>>('kv', key)) ?? {},
    save: (settings) => put('kv', key, settings),
  };
}

/** The worker's receipt key ring (client/receipt-keys.ts) on the store above. */
export const receiptKeys = receiptKeyRing(keyRingStore);
