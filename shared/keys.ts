import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FormatError } from './errors.js';
import { secretBytes } from './link.js';

/**
 * The key schedule of PROTOCOL.md §3: HKDF-SHA256 with IKM = S, salt = messageId,
 * 32-byte outputs, one `info` string per key.
 *
 * @example
 * const keys = deriveKeys(secret, messageId);
 * keys.errand      // K_errand
 * keys.payload(0)  // K_payload(0), the content document
 * keys.auth        // K_auth
 */
export const messageIdBytes = 16;
export const keyBytes = 32;

export const keyInfo = {
  errand: 'sigill/v1/errand',
  payload: (index: number): string => `sigill/v1/payload/${index}`,
  auth: 'sigill/v1/auth',
} as const;

export interface MessageKeys {
  /** K_errand: seals the errand, readable before BankID. */
  errand: Uint8Array;
  /** K_auth: authorization tags, the verifier, and the verification start. */
  auth: Uint8Array;
  /** K_payload(index): payload 0 is the content document, 1… the attachments. */
  payload(index: number): Uint8Array;
}

const encoder = new TextEncoder();

export function deriveKeys(secret: Uint8Array, messageId: Uint8Array): MessageKeys {
  if (secret.length !== secretBytes) throw new FormatError('length_invalid', `the secret must be ${secretBytes} bytes`);
  if (messageId.length !== messageIdBytes) {
    throw new FormatError('length_invalid', `messageId must be ${messageIdBytes} bytes`);
  }
  const prk = extract(sha256, secret, messageId);
  const derive = (info: string) => expand(sha256, prk, encoder.encode(info), keyBytes);
  return {
    errand: derive(keyInfo.errand),
    auth: derive(keyInfo.auth),
    payload(index: number) {
      checkPayloadIndex(index);
      return derive(keyInfo.payload(index));
    },
  };
}

/** A payload index is a whole number from 0 (content document) upwards. */
export function checkPayloadIndex(index: number): number {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new FormatError('payload_index_invalid', 'a payload index is a whole number from 0');
  }
  return index;
}

/** Fresh random bytes from the platform's CSPRNG (S, messageId, linkId). */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}
