import { decodeBase64url, encodeBase64url } from './base64url.js';
import { FormatError } from './errors.js';

/**
 * The link of PROTOCOL.md §2: `<origin>/o/<base64url(linkId)>#<base64url(S)>`.
 * This pair of functions is the only place a link is built or parsed.
 *
 * @example
 * const link = buildLink('https://sigill.example', linkId, secret);
 * const { origin, linkId, secret } = parseLink(link);
 */
export const linkIdBytes = 16;
export const secretBytes = 32;

export interface Link {
  /** `scheme://host[:port]`, no path and no trailing slash. */
  origin: string;
  linkId: Uint8Array;
  /** S, the message secret. */
  secret: Uint8Array;
}

const linkPattern = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)\/o\/([^/?#]*)(?:#(.*))?$/s;

/** Checks that `origin` is exactly an http(s) origin; returns it unchanged. */
export function checkOrigin(origin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw new FormatError('link_origin_invalid', 'the origin is not a URL');
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== origin) {
    throw new FormatError('link_origin_invalid', 'the origin must be scheme://host[:port] with no path or trailing slash');
  }
  return origin;
}

export function buildLink(origin: string, linkId: Uint8Array, secret: Uint8Array): string {
  checkOrigin(origin);
  if (linkId.length !== linkIdBytes) throw new FormatError('link_id_invalid', `linkId must be ${linkIdBytes} bytes`);
  if (secret.length !== secretBytes) throw new FormatError('link_secret_invalid', `the secret must be ${secretBytes} bytes`);
  return `${origin}/o/${encodeBase64url(linkId)}#${encodeBase64url(secret)}`;
}

/** Parses a whole link; refuses anything but the exact form with a 43-character fragment. */
export function parseLink(text: string): Link {
  const match = linkPattern.exec(text);
  if (!match) throw new FormatError('link_malformed', 'this is not a Sigill link (<origin>/o/<linkId>#<secret>)');
  const [, origin = '', linkIdText = '', fragment] = match;
  checkOrigin(origin);
  const linkId = parseLinkId(linkIdText);
  if (fragment === undefined || fragment === '') {
    throw new FormatError('link_secret_missing', 'the link has no secret after #; it was cut or altered');
  }
  return { origin, linkId, secret: parseSecret(fragment) };
}

/** Parses the linkId path segment (22 base64url characters). */
export function parseLinkId(text: string): Uint8Array {
  if (text.length !== 22) throw new FormatError('link_id_invalid', 'the link id must be 22 characters');
  try {
    return decodeBase64url(text, linkIdBytes, 'the link id');
  } catch (error) {
    throw new FormatError('link_id_invalid', 'the link id is not canonical base64url', { cause: error });
  }
}

/** Parses the fragment (43 base64url characters) into S. */
export function parseSecret(fragment: string): Uint8Array {
  if (fragment.length !== 43) throw new FormatError('link_secret_invalid', 'the secret after # must be 43 characters');
  try {
    return decodeBase64url(fragment, secretBytes, 'the secret');
  } catch (error) {
    throw new FormatError('link_secret_invalid', 'the secret after # is not canonical base64url', { cause: error });
  }
}
