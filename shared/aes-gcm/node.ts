import type { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, createSecretKey, KeyObject } from 'node:crypto';
import type { SegmentCipher, SegmentKey } from './types.js';

const tagBytes = 16;

/** A plain Uint8Array over a Buffer's bytes (no copy), as the WebCrypto back end gives. */
const plain = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);

/**
 * Segments through node:crypto, Node's native AES-GCM (OpenSSL, AES-NI). It answers
 * synchronously: Node's WebCrypto runs the same OpenSSL code but hands every call to a
 * worker thread, which for a 64 KiB segment costs more than the encryption itself
 * (about half of node:crypto's speed for a 1 MiB stream here, see `npm run bench`).
 * The sealed body and its tag come back as two parts, so neither is copied to join them.
 */
export function createSegmentCipher(key: SegmentKey, _usage: 'encrypt' | 'decrypt'): SegmentCipher {
  const keyObject = key instanceof Uint8Array ? createSecretKey(key) : KeyObject.from(key);
  return {
    seal(iv, plaintext) {
      const cipher = createCipheriv('aes-256-gcm', keyObject, iv);
      const body = cipher.update(plaintext);
      cipher.final();
      return [plain(body), plain(cipher.getAuthTag())];
    },
    open(iv, sealed) {
      if (sealed.length < tagBytes) throw new Error('shorter than a tag');
      const decipher = createDecipheriv('aes-256-gcm', keyObject, iv);
      decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
      const plaintext = decipher.update(sealed.subarray(0, sealed.length - tagBytes));
      decipher.final(); // throws when the tag does not verify; the plaintext is then dropped
      return plain(plaintext);
    },
  };
}
