import type { SegmentCipher, SegmentKey } from './types.js';

/**
 * Segments through WebCrypto, the browser's native AES-GCM. Every call is
 * asynchronous, so shared/stream.ts keeps several in flight.
 */
export async function createSegmentCipher(key: SegmentKey, usage: 'encrypt' | 'decrypt'): Promise<SegmentCipher> {
  const cryptoKey =
    key instanceof Uint8Array
      ? await globalThis.crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'AES-GCM' }, false, [usage])
      : key;
  const run = async (operation: 'encrypt' | 'decrypt', iv: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>) =>
    new Uint8Array(await globalThis.crypto.subtle[operation]({ name: 'AES-GCM', iv, tagLength: 128 }, cryptoKey, data));
  return {
    seal: (iv, plaintext) => run('encrypt', iv, plaintext),
    open: (iv, sealed) => run('decrypt', iv, sealed),
  };
}
