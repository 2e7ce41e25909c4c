import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FormatError } from './errors.js';
import { keyBytes } from './keys.js';

/**
 * Who may read (PROTOCOL.md §6). An identity is `se-pnr:` + 12 digits; a pattern is
 * `se-pnr:` + the first 4–11 digits + `*`. Tags are HMAC-SHA256(K_auth, identity or
 * pattern); the server stores tags and authVerifier = SHA-256(K_auth), never numbers.
 *
 * @example
 * const tags = ['se-pnr:198112189876', 'se-pnr:1941*'].map((who) => authorizationTag(keys.auth, who));
 * isAuthorized(keys.auth, 'se-pnr:194107086995', tags) // true, through the pattern
 */
export const identityScheme = 'se-pnr:';
const identityPattern = /^se-pnr:\d{12}$/;
const prefixPattern = /^se-pnr:\d{4,11}\*$/;
const encoder = new TextEncoder();

export type Authorization = Uint8Array[] | '*';

/** Checks `se-pnr:YYYYMMDDNNNC` (form only; the number's own rules live in identity-number). */
export function checkIdentity(identity: string): string {
  if (typeof identity !== 'string' || !identityPattern.test(identity)) {
    throw new FormatError('identity_invalid', 'an identity is se-pnr: followed by 12 digits');
  }
  return identity;
}

/** Checks an identity or a prefix pattern (`se-pnr:` + 4–11 digits + `*`). */
export function checkIdentityOrPattern(value: string): string {
  if (typeof value === 'string' && (identityPattern.test(value) || prefixPattern.test(value))) return value;
  throw new FormatError('pattern_invalid', 'expected se-pnr: and 12 digits, or se-pnr: and 4 to 11 digits and *');
}

/** authVerifier = SHA-256(K_auth). */
export function authVerifier(authKey: Uint8Array): Uint8Array {
  checkAuthKey(authKey);
  return sha256(authKey);
}

/** tag = HMAC-SHA256(K_auth, UTF-8(identity or pattern)). */
export function authorizationTag(authKey: Uint8Array, identityOrPattern: string): Uint8Array {
  checkAuthKey(authKey);
  return hmac(sha256, authKey, encoder.encode(checkIdentityOrPattern(identityOrPattern)));
}

/** The eight patterns that cover an identity: `se-pnr:` + first k digits + `*`, k = 4…11. */
export function identityPatterns(identity: string): string[] {
  const digits = checkIdentity(identity).slice(identityScheme.length);
  return [4, 5, 6, 7, 8, 9, 10, 11].map((k) => `${identityScheme}${digits.slice(0, k)}*`);
}

/**
 * Whether a verified identity may read through a link with `authorization` (its tags or
 * the wildcard). Compares the identity's tag and its eight pattern tags with every link
 * tag in constant time: no early exit on a match.
 */
export function isAuthorized(authKey: Uint8Array, identity: string, authorization: Authorization): boolean {
  if (authorization === '*') {
    checkIdentity(identity);
    return true;
  }
  const candidates = [identity, ...identityPatterns(identity)].map((value) => authorizationTag(authKey, value));
  let found = 0;
  for (const tag of authorization) {
    for (const candidate of candidates) found |= constantTimeEqual(tag, candidate) ? 1 : 0;
  }
  return found === 1;
}

/** Compares two byte arrays in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function checkAuthKey(authKey: Uint8Array): void {
  if (!(authKey instanceof Uint8Array) || authKey.length !== keyBytes) {
    throw new FormatError('length_invalid', `K_auth must be ${keyBytes} bytes`);
  }
}
