import { decodeBase64url } from '../../shared/base64url.js';
import { FormatError } from '../../shared/errors.js';
import { AppError } from '../errors.js';

/** Decodes base64url (of exactly `bytes` bytes when given), or a 400 with `code`. */
export function bytesOf(text: string, bytes: number | undefined, code: string, what: string): Uint8Array {
  try {
    return decodeBase64url(text, bytes, what);
  } catch (error) {
    const detail = error instanceof FormatError ? error.code : 'base64url_invalid';
    const expected = bytes === undefined ? 'valid base64url' : `${bytes} bytes of canonical base64url`;
    throw new AppError(400, code, `${what} must be ${expected} (${detail})`);
  }
}

/**
 * Checks an id from a path or body: canonical base64url of exactly `bytes` bytes.
 * Returns the text unchanged (ids are stored as base64url text).
 */
export function checkId(text: string, bytes: number, code: string, what: string): string {
  bytesOf(text, bytes, code, what);
  return text;
}

