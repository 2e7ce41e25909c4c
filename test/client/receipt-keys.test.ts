import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/errors.js';
import { backupFormat, parseBackup, receiptKeyRing } from '../../client/receipt-keys.js';
import { memoryStores } from '../../client/stores.js';
import { encodeBase64url } from '../../shared/base64url.js';
import { generateReceiptKeyPair } from '../../shared/receipts.js';

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: unknown) => (error instanceof ApiError ? error.code : String(error)));

describe('the receipt key ring and its backup file', () => {
  it('makes one current pair on first use, even when asked twice at once', async () => {
    const stores = memoryStores();
    const ring = receiptKeyRing(stores.keys);
    const [a, b] = await Promise.all([ring.current(), ring.current()]);
    expect(encodeBase64url(a.receiptKey)).toBe(encodeBase64url(b.receiptKey));
    expect((await stores.keys.load())!.former).toEqual([]);
  });

  it('an import makes the backup’s pair current and keeps every pair known before', async () => {
    const first = receiptKeyRing(memoryStores().keys);
    const second = receiptKeyRing(memoryStores().keys);
    const before = encodeBase64url((await second.current()).receiptKey);
    const backup = await first.exportBackup();
    await second.importBackup(backup);
    const current = encodeBase64url((await second.current()).receiptKey);
    expect(current).toBe(encodeBase64url((await first.current()).receiptKey));
    expect(await second.privateKeyFor(before)).toBeInstanceOf(Uint8Array);
    const again = await parseBackup(await second.exportBackup());
    expect(again.former.map((pair) => pair.receiptKey)).toEqual([before]);
  });

  it('writes the documented format, version 1', async () => {
    const text = await receiptKeyRing(memoryStores().keys).exportBackup();
    const value = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['format', 'version', 'receiptKey', 'privateKey', 'former']);
    expect([value.format, value.version]).toEqual([backupFormat, 1]);
  });

  it('refuses other files, other versions and pairs that do not belong together, each with its own code', async () => {
    const ring = receiptKeyRing(memoryStores().keys);
    const a = await generateReceiptKeyPair();
    const b = await generateReceiptKeyPair();
    const file = (fields: object) => JSON.stringify({ format: backupFormat, version: 1, receiptKey: encodeBase64url(a.receiptKey), privateKey: encodeBase64url(a.privateKey), ...fields });
    expect(await codeOf(ring.importBackup('not json'))).toBe('backup_invalid');
    expect(await codeOf(ring.importBackup(file({ format: 'other' })))).toBe('backup_invalid');
    expect(await codeOf(ring.importBackup(file({ version: 2 })))).toBe('backup_version_unsupported');
    expect(await codeOf(ring.importBackup(file({ privateKey: encodeBase64url(b.privateKey) })))).toBe('backup_invalid');
    expect(await codeOf(ring.importBackup(file({})))).toBe('resolved');
  });
});
