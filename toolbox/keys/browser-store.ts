import { parseBackup, formatBackup } from '../../client/receipt-keys.js';
import type { KeyRingStore } from '../../client/stores.js';

/**
 * The receipt key ring in this browser's IndexedDB (the toolbox origin's), per user.
 * The ring is sealed with AES-256-GCM under a non-extractable key made here and kept
 * in IndexedDB as a CryptoKey: script on this origin can use it but never read it out,
 * and a copy of the database files alone does not open the ring.
 *
 * @example
 * const store = browserKeyRingStore(userId);
 * const ring = receiptKeyRing(store);
 */
const databaseName = 'sigill-toolbox-keys';
const objects = 'rings';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(objects);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (database) =>
      new Promise<T>((resolve, reject) => {
        const transaction = database.transaction(objects, mode);
        const request = work(transaction.objectStore(objects));
        transaction.oncomplete = () => {
          database.close();
          resolve(request.result as T);
        };
        transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
        transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
      }),
  );
}

interface SealedRing {
  key: CryptoKey;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: ArrayBuffer;
}

export function browserKeyRingStore(userId: string): KeyRingStore {
  const name = `ring:${userId}`;
  return {
    async load() {
      const sealed = await run<SealedRing | undefined>('readonly', (store) => store.get(name));
      if (!sealed) return null;
      const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, sealed.key, sealed.ciphertext);
      return parseBackup(new TextDecoder().decode(plaintext));
    },
    async save(ring) {
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(formatBackup(ring)));
      await run('readwrite', (store) => store.put({ key, iv, ciphertext } satisfies SealedRing, name));
    },
  };
}
