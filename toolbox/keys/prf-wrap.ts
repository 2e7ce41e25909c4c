import { formatBackup, parseBackup } from '../../client/receipt-keys.js';
import { clientError } from '../../client/errors.js';
import type { StoredKeyRing } from '../../client/stores.js';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import type { WrappedReceiptKey } from '../../shared/api/accounts.js';

/**
 * The receipt key ring wrapped under a passkey's PRF output: the plaintext is client/'s
 * backup file (the one format), sealed with AES-256-GCM under
 * HKDF-SHA-256(ikm = PRF output, salt = 32 random bytes, info = "sigill/toolbox/receipt-key"),
 * the credential id as additional data. The PRF output never leaves the page.
 *
 * @example
 * const entry = await wrapRing({ credentialId, output }, ring);
 * const same = await unwrapRing({ credentialId, output }, entry);
 */
export interface PrfOutput {
  /** base64url credential id of the passkey that gave it. */
  credentialId: string;
  /** The PRF extension's `results.first` for the server's prfSalt (32 bytes). */
  output: Uint8Array;
}

const info = new TextEncoder().encode('sigill/toolbox/receipt-key');

async function wrappingKey(output: Uint8Array, salt: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  if (output.length !== 32) throw clientError('prf_output_invalid', 'the passkey’s PRF output is not 32 bytes');
  const ikm = await crypto.subtle.importKey('raw', output as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, info }, ikm, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

export async function wrapRing(prf: PrfOutput, ring: StoredKeyRing): Promise<WrappedReceiptKey> {
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await wrappingKey(prf.output, salt, 'encrypt');
  const plaintext = new TextEncoder().encode(formatBackup(ring));
  const additionalData = new TextEncoder().encode(prf.credentialId);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plaintext));
  return { credentialId: prf.credentialId, salt: encodeBase64url(salt), iv: encodeBase64url(iv), ciphertext: encodeBase64url(ciphertext) };
}

export async function unwrapRing(prf: PrfOutput, entry: WrappedReceiptKey): Promise<StoredKeyRing> {
  if (entry.credentialId !== prf.credentialId) throw clientError('receipt_key_unwrap_failed', 'this copy of the receipt key belongs to another passkey');
  const key = await wrappingKey(prf.output, decodeBase64url(entry.salt, 32, 'salt'), 'decrypt');
  const additionalData = new TextEncoder().encode(prf.credentialId);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: decodeBase64url(entry.iv, 12, 'iv') as Uint8Array<ArrayBuffer>, additionalData }, key, decodeBase64url(entry.ciphertext) as Uint8Array<ArrayBuffer>);
  } catch {
    throw clientError('receipt_key_unwrap_failed', 'the receipt key could not be opened with this passkey');
  }
  return parseBackup(new TextDecoder().decode(plaintext));
}
