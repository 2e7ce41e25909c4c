import { Aes256Gcm, CipherSuite } from '@hpke/core';
import { DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/dhkem-x25519';
import { FormatError, type FormatErrorCode } from './errors.js';

/**
 * The one HPKE suite of the protocol (PROTOCOL.md §7 and §7.1): base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. The sealed form is
 * enc (32 bytes) ‖ ciphertext. Receipts, recipient labels and the sender's copy are
 * sealed with it, each under its own `info`.
 *
 * @example
 * const sealed = await sealToReceiptKey(receiptKey, 'sigill/v1/label', aad, bytes, 'label_invalid');
 * const bytes = await openWithPrivateKey(privateKey, 'sigill/v1/label', aad, sealed, 'label_invalid');
 */
export const receiptKeyLength = 32;
const encLength = 32;
export const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });

export function checkKeyLength(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== receiptKeyLength) {
    throw new FormatError('receipt_key_invalid', `${what} must be ${receiptKeyLength} bytes`);
  }
}

export async function sealToReceiptKey(receiptKey: Uint8Array, info: string, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  checkKeyLength(receiptKey, 'receiptKey');
  let recipientPublicKey: CryptoKey;
  try {
    recipientPublicKey = await suite.kem.deserializePublicKey(receiptKey);
  } catch {
    throw new FormatError('receipt_key_invalid', 'receiptKey is not an X25519 public key');
  }
  const { enc, ct } = await suite.seal({ recipientPublicKey, info: new TextEncoder().encode(info) }, plaintext, aad);
  const sealed = new Uint8Array(enc.byteLength + ct.byteLength);
  sealed.set(new Uint8Array(enc), 0);
  sealed.set(new Uint8Array(ct), enc.byteLength);
  return sealed;
}

/** Opens a sealed value; any failure (short, wrong key, wrong aad, altered) is `code`. */
export async function openWithPrivateKey(privateKey: Uint8Array, info: string, aad: Uint8Array, sealed: Uint8Array, code: FormatErrorCode): Promise<Uint8Array> {
  checkKeyLength(privateKey, 'the receipt private key');
  if (sealed.length < encLength + 16) throw new FormatError(code, 'the sealed value is too short');
  try {
    const recipientKey = await suite.kem.deserializePrivateKey(privateKey);
    const opened = await suite.open({ recipientKey, enc: sealed.slice(0, encLength), info: new TextEncoder().encode(info) }, sealed.slice(encLength), aad);
    return new Uint8Array(opened);
  } catch {
    throw new FormatError(code, 'the sealed value does not open with this key and message');
  }
}

/** Parses opened UTF-8 JSON, or raises `code`. */
export function parseSealedJson(bytes: Uint8Array, code: FormatErrorCode): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new FormatError(code, 'the opened value is not UTF-8 JSON');
  }
}
