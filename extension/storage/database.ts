/**
 * The extension's own IndexedDB (the extension origin's, which content scripts cannot
 * reach, unlike `storage.local`): settings, the API token, the receipt keys, the sent
 * messages, and attachments waiting to be sealed. Used by the service worker and, for
 * attachments only, by the compose frame.
 *
 * @example
 * await put('kv', 'settings', { serverUrl });
 * const settings = await get<Settings>('kv', 'settings');
 */
type StoreName = 'kv' | 'attachments';

const databaseName = 'sigill';
let opened: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('kv');
      request.result.createObjectStore('attachments');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opened = undefined;
      reject(request.error ?? new Error('IndexedDB could not be opened'));
    };
  });
  return opened;
}

function run<T>(store: StoreName, mode: IDBTransactionMode, work: (objects: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (database) =>
      new Promise<T>((resolve, reject) => {
        const transaction = database.transaction(store, mode);
        const request = work(transaction.objectStore(store));
        transaction.oncomplete = () => resolve(request.result as T);
        transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
        transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
      }),
  );
}

export function get<T>(store: StoreName, key: string): Promise<T | undefined> {
  return run<T | undefined>(store, 'readonly', (objects) => objects.get(key));
}

export function put(store: StoreName, key: string, value: unknown): Promise<void> {
  return run<unknown>(store, 'readwrite', (objects) => objects.put(value, key)).then(() => undefined);
}

export function remove(store: StoreName, key: string): Promise<void> {
  return run<unknown>(store, 'readwrite', (objects) => objects.delete(key)).then(() => undefined);
}

export function keys(store: StoreName): Promise<string[]> {
  return run<IDBValidKey[]>(store, 'readonly', (objects) => objects.getAllKeys()).then((found) => found.filter((key): key is string => typeof key === 'string'));
}
