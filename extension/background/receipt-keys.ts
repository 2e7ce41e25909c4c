/**
 * The sender's receipt key pair (PROTOCOL.md §7), made once and kept in the extension.
 * Every message carries the public key; the private key opens the sealed receipts. A
 * backup file exports and imports the pair; an imported pair becomes the current one and
 * the former pairs are kept, so receipts of messages sent before still open.
 *
 * @example
 * const pair = await currentReceiptKeys();
 * const backup = await exportReceiptKeys(); // JSON text for a file
 */
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { checkReceiptKeyPair, generateReceiptKeyPair, type ReceiptKeyPair } from '../../shared/receipts.js';
import { ExtensionError } from '../messages.js';
import { get, put } from '../storage/database.js';

interface StoredKeys {
  current: { receiptKey: string; privateKey: string };
  former: { receiptKey: string; privateKey: string }[];
}

const key = 'receiptKeys';
const backupFormat = 'sigill-receipt-key';

function encode(pair: ReceiptKeyPair) {
  return { receiptKey: encodeBase64url(pair.receiptKey), privateKey: encodeBase64url(pair.privateKey) };
}

function decode(stored: { receiptKey: string; privateKey: string }): ReceiptKeyPair {
  return { receiptKey: decodeBase64url(stored.receiptKey, 32, 'receiptKey'), privateKey: decodeBase64url(stored.privateKey, 32, 'privateKey') };
}

let making: Promise<StoredKeys> | undefined;

async function storedKeys(): Promise<StoredKeys> {
  const stored = await get<StoredKeys>('kv', key);
  if (stored) return stored;
  making ??= (async () => {
    const again = await get<StoredKeys>('kv', key);
    if (again) return again;
    const made: StoredKeys = { current: encode(await generateReceiptKeyPair()), former: [] };
    await put('kv', key, made);
    return made;
  })().finally(() => {
    making = undefined;
  });
  return making;
}

export async function currentReceiptKeys(): Promise<ReceiptKeyPair> {
  return decode((await storedKeys()).current);
}

export async function currentReceiptKeyText(): Promise<string | null> {
  return (await get<StoredKeys>('kv', key))?.current.receiptKey ?? null;
}

/** The private key that belongs to `receiptKey` (base64url), if this extension has it. */
export async function privateKeyFor(receiptKey: string): Promise<Uint8Array | undefined> {
  const stored = await storedKeys();
  const pair = [stored.current, ...stored.former].find((candidate) => candidate.receiptKey === receiptKey);
  return pair ? decode(pair).privateKey : undefined;
}

export async function exportReceiptKeys(): Promise<string> {
  const { current } = await storedKeys();
  return JSON.stringify({ format: backupFormat, version: 1, ...current }, null, 2);
}

export async function importReceiptKeys(backup: string): Promise<void> {
  let value: unknown;
  try {
    value = JSON.parse(backup);
  } catch {
    throw new ExtensionError('backup_invalid', 'this is not a Sigill receipt key backup file');
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (record.format !== backupFormat || record.version !== 1 || typeof record.receiptKey !== 'string' || typeof record.privateKey !== 'string') {
    throw new ExtensionError('backup_invalid', 'this is not a Sigill receipt key backup file');
  }
  const imported = { receiptKey: record.receiptKey, privateKey: record.privateKey };
  await checkReceiptKeyPair(decode(imported));
  const stored = await storedKeys();
  if (stored.current.receiptKey === imported.receiptKey) return;
  const former = [stored.current, ...stored.former].filter((pair) => pair.receiptKey !== imported.receiptKey);
  await put('kv', key, { current: imported, former } satisfies StoredKeys);
}
