import { decodeBase64url, encodeBase64url } from '../shared/base64url.js';
import { FormatError } from '../shared/errors.js';
import { checkReceiptKeyPair, generateReceiptKeyPair, type ReceiptKeyPair } from '../shared/receipts.js';
import { clientError } from './errors.js';
import type { KeyRingStore, StoredKeyPair, StoredKeyRing } from './stores.js';

/**
 * The sender's receipt key ring (PROTOCOL.md §7) over an injected store: one current
 * pair, made on first use, whose public key every message carries; former pairs kept so
 * receipts, labels and copies of earlier messages still open. The backup file (the one
 * format, client/README.md) carries the whole ring.
 *
 * @example
 * const ring = receiptKeyRing(store);
 * const { receiptKey } = await ring.current();
 * const file = await ring.exportBackup();
 * await otherRing.importBackup(file);
 */
export interface ReceiptKeyRing {
  current(): Promise<ReceiptKeyPair>;
  /** The private key of `receiptKey` (base64url), if the ring has it. */
  privateKeyFor(receiptKey: string): Promise<Uint8Array | undefined>;
  exportBackup(): Promise<string>;
  /** Makes the backup's current pair current; every pair known before is kept. */
  importBackup(text: string): Promise<void>;
}

export const backupFormat = 'sigill-receipt-key';
export const backupVersion = 1;

export interface ReceiptKeyBackup extends StoredKeyPair {
  format: typeof backupFormat;
  version: typeof backupVersion;
  former?: StoredKeyPair[];
}

const encodePair = (pair: ReceiptKeyPair): StoredKeyPair => ({ receiptKey: encodeBase64url(pair.receiptKey), privateKey: encodeBase64url(pair.privateKey) });

function decodePair(pair: StoredKeyPair): ReceiptKeyPair {
  return { receiptKey: decodeBase64url(pair.receiptKey, 32, 'receiptKey'), privateKey: decodeBase64url(pair.privateKey, 32, 'privateKey') };
}

const invalid = () => clientError('backup_invalid', 'this is not a Sigill receipt key backup file');

function readPair(value: unknown): StoredKeyPair {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof record.receiptKey !== 'string' || typeof record.privateKey !== 'string') throw invalid();
  return { receiptKey: record.receiptKey, privateKey: record.privateKey };
}

/** Parses and checks a backup file: format, version, and that each pair belongs together. */
export async function parseBackup(text: string): Promise<StoredKeyRing> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid();
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (record.format !== backupFormat) throw invalid();
  if (record.version !== backupVersion) throw clientError('backup_version_unsupported', `this backup is version ${String(record.version)}; this client reads version ${backupVersion}`);
  if (record.former !== undefined && !Array.isArray(record.former)) throw invalid();
  const ring: StoredKeyRing = { current: readPair(record), former: ((record.former as unknown[] | undefined) ?? []).map(readPair) };
  for (const pair of [ring.current, ...ring.former]) {
    try {
      await checkReceiptKeyPair(decodePair(pair));
    } catch (error) {
      if (error instanceof FormatError) throw clientError('backup_invalid', `the backup holds a key pair that does not belong together (${error.code})`);
      throw error;
    }
  }
  return ring;
}

export function formatBackup(ring: StoredKeyRing): string {
  const backup: ReceiptKeyBackup = { format: backupFormat, version: backupVersion, ...ring.current, former: ring.former };
  return `${JSON.stringify(backup, null, 2)}\n`;
}

export function receiptKeyRing(store: KeyRingStore): ReceiptKeyRing {
  let making: Promise<StoredKeyRing> | undefined;
  const ring = async (): Promise<StoredKeyRing> => {
    const stored = await store.load();
    if (stored) return stored;
    making ??= (async () => {
      const again = await store.load();
      if (again) return again;
      const made: StoredKeyRing = { current: encodePair(await generateReceiptKeyPair()), former: [] };
      await store.save(made);
      return made;
    })().finally(() => {
      making = undefined;
    });
    return making;
  };
  return {
    current: async () => decodePair((await ring()).current),
    async privateKeyFor(receiptKey) {
      const { current, former } = await ring();
      const pair = [current, ...former].find((candidate) => candidate.receiptKey === receiptKey);
      return pair ? decodePair(pair).privateKey : undefined;
    },
    exportBackup: async () => formatBackup(await ring()),
    async importBackup(text) {
      const imported = await parseBackup(text);
      const stored = await store.load();
      const known = stored ? [stored.current, ...stored.former] : [];
      const former = [...imported.former, ...known].filter(
        (pair, i, all) => pair.receiptKey !== imported.current.receiptKey && all.findIndex((other) => other.receiptKey === pair.receiptKey) === i,
      );
      await store.save({ current: imported.current, former });
    },
  };
}
