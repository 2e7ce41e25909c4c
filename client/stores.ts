import type { RecipientLabel } from '../shared/labels.js';

/**
 * What client/ keeps, behind interfaces each app implements on its own storage: the
 * extension on IndexedDB, the CLI on files, the tests in memory (memoryStores()).
 *
 * @example
 * const stores = memoryStores();
 * const ring = receiptKeyRing(stores.keys);
 */
export interface StoredKeyPair {
  /** base64url X25519 public key. */
  receiptKey: string;
  /** base64url X25519 private key. */
  privateKey: string;
}

export interface StoredKeyRing {
  current: StoredKeyPair;
  /** Pairs that were current before: receipts of messages sent with them still open. */
  former: StoredKeyPair[];
}

export interface KeyRingStore {
  load(): Promise<StoredKeyRing | null>;
  save(ring: StoredKeyRing): Promise<void>;
}

/** What a client remembers of a message it sent. Never the secret or a link. */
export interface SentRecord {
  messageId: string;
  errand: string;
  attachments: string[];
  createdAt: string;
  receiptKey: string;
  links: { linkId: string; label: RecipientLabel }[];
}

export interface SentLog {
  add(record: SentRecord): Promise<void>;
  /** Newest first. */
  list(): Promise<SentRecord[]>;
}

export interface SettingsStore<T> {
  load(): Promise<Partial<T>>;
  save(settings: T): Promise<void>;
}

/** In-memory stores, for tests and one-shot scripts. */
export function memoryStores<T = Record<string, unknown>>(): { keys: KeyRingStore; sent: SentLog; settings: SettingsStore<T> } {
  let ring: StoredKeyRing | null = null;
  let records: SentRecord[] = [];
  let settings: Partial<T> = {};
  return {
    keys: { load: async () => ring, save: async (next) => void (ring = structuredClone(next)) },
    sent: {
      add: async (record) => void (records = [record, ...records.filter((old) => old.messageId !== record.messageId)]),
      list: async () => [...records],
    },
    settings: { load: async () => ({ ...settings }), save: async (next) => void (settings = { ...next }) },
  };
}
