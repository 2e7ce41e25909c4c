import { FormatError } from './errors.js';

/**
 * Base64url without padding (RFC 4648 §5), strict: the protocol's only text form of
 * binary values. Decoding refuses padding, other alphabets, impossible lengths and
 * non-canonical encodings (unused low bits set), each with its own code.
 *
 * @example
 * encodeBase64url(new Uint8Array([251, 255])) // '-_8'
 * decodeBase64url('-_8')                      // Uint8Array [251, 255]
 * decodeBase64url('-_8', 16)                  // FormatError length_invalid
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const lookup = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes strict base64url. With `expectedBytes`, also refuses any other length
 * (`length_invalid`). `what` names the value in error messages (never its content).
 */
export function decodeBase64url(text: string, expectedBytes?: number, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw new FormatError('base64url_invalid', `${what} must be a base64url string`);
  if (text.length % 4 === 1) throw new FormatError('base64url_invalid', `${what} has an impossible base64url length`);
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? lookup[c]! : -1;
    if (v < 0) throw new FormatError('base64url_invalid', `${what} is not base64url (character ${i + 1})`);
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0) throw new FormatError('base64url_non_canonical', `${what} is not canonical base64url`);
  if (expectedBytes !== undefined && out.length !== expectedBytes) {
    throw new FormatError('length_invalid', `${what} must be ${expectedBytes} bytes, not ${out.length}`);
  }
  return out;
}
