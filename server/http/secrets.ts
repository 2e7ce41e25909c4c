import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';

/**
 * The server's own small crypto: capability tokens (128-bit random, stored only as
 * SHA-256 hashes) and sealing what a verification must remember under a key derived
 * from its verificationId, which only the browser holds.
 */
export function newCapability(bytes = 16): string {
  return encodeBase64url(randomBytes(bytes));
}

/** The stored form of a capability or token: base64url(SHA-256(text)), in one native call (about 2 µs). */
export function hashCapability(text: string): string {
  return hash('sha256', text, 'base64url');
}

function sealingKey(capability: string): Buffer {
  return Buffer.from(hkdfSync('sha256', decodeBase64url(capability), new Uint8Array(0), 'sigill/server/verification', 32));
}

/** AES-256-GCM under a key derived from `capability`; nonce ‖ ciphertext ‖ tag, base64url. */
export function sealWithCapability(capability: string, value: unknown): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(capability), nonce);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return encodeBase64url(Buffer.concat([nonce, body, cipher.getAuthTag()]));
}

export function openWithCapability<T>(capability: string, sealed: string): T {
  const bytes = decodeBase64url(sealed);
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(capability), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plaintext = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  return JSON.parse(plaintext.toString('utf8')) as T;
}
