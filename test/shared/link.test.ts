import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { FormatError } from '../../shared/errors.js';
import { buildLink, parseLink } from '../../shared/link.js';

const origin = 'https://sigill.example';
const linkId = new Uint8Array(16).fill(1);
const secret = new Uint8Array(32).fill(2);
const good = buildLink(origin, linkId, secret);

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as FormatError).code;
  }
}

describe('link', () => {
  it('builds and parses any linkId, secret and origin', () => {
    const origins = fc.constantFrom('https://sigill.example', 'http://localhost:8787', 'https://a.b.se:8443');
    fc.assert(
      fc.property(origins, fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (o, id, s) => {
        const link = buildLink(o, id, s);
        expect(link.split('#')[1]).toHaveLength(43);
        const parsed = parseLink(link);
        expect(parsed.origin).toBe(o);
        expect(encodeBase64url(parsed.linkId)).toBe(encodeBase64url(id));
        expect(encodeBase64url(parsed.secret)).toBe(encodeBase64url(s));
      }),
    );
  });

  it('refuses a missing or empty fragment', () => {
    expect(codeOf(() => parseLink(good.split('#')[0]!))).toBe('link_secret_missing');
    expect(codeOf(() => parseLink(`${good.split('#')[0]}#`))).toBe('link_secret_missing');
  });

  it('refuses a fragment of any other length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }).filter((n) => n !== 43), (length) => {
        expect(codeOf(() => parseLink(`${good.split('#')[0]}#${'A'.repeat(length)}`))).toBe('link_secret_invalid');
      }),
    );
  });

  it('refuses a non-canonical last character in the secret and the linkId', () => {
    // 32 bytes in 43 characters leave 2 unused bits; 16 bytes in 22 characters leave 4.
    const [base, fragment] = good.split('#') as [string, string];
    expect(codeOf(() => parseLink(`${base}#${fragment.slice(0, 42)}B`))).toBe('link_secret_invalid');
    const id = encodeBase64url(linkId);
    expect(codeOf(() => parseLink(good.replace(id, `${id.slice(0, 21)}B`)))).toBe('link_id_invalid');
  });

  it('refuses padding, other alphabets and extra path parts', () => {
    const [base, fragment] = good.split('#') as [string, string];
    expect(codeOf(() => parseLink(`${base}#${fragment.slice(0, 42)}=`))).toBe('link_secret_invalid');
    expect(codeOf(() => parseLink(`${base}#${fragment.slice(0, 42).replace(/./, '+')}A`))).toBe('link_secret_invalid');
    expect(codeOf(() => parseLink(good.replace('/o/', '/x/')))).toBe('link_malformed');
    expect(codeOf(() => parseLink(good.replace('/o/', '/o/extra/')))).toBe('link_malformed');
    expect(codeOf(() => parseLink(good.replace('#', '?q=1#')))).toBe('link_malformed');
    expect(codeOf(() => parseLink(`${good} `))).toBe('link_secret_invalid');
  });

  it('refuses an origin with a path, trailing slash or another scheme', () => {
    expect(codeOf(() => buildLink('https://sigill.example/', linkId, secret))).toBe('link_origin_invalid');
    expect(codeOf(() => buildLink('https://sigill.example/app', linkId, secret))).toBe('link_origin_invalid');
    expect(codeOf(() => buildLink('ftp://sigill.example', linkId, secret))).toBe('link_origin_invalid');
    expect(codeOf(() => buildLink(origin, new Uint8Array(15), secret))).toBe('link_id_invalid');
    expect(codeOf(() => buildLink(origin, linkId, new Uint8Array(31)))).toBe('link_secret_invalid');
  });

  it('never puts the secret in an error message', () => {
    const fragment = good.split('#')[1]!;
    for (const bad of [`${good}x`, `${good.slice(0, -1)}=`, good.replace('https', 'ftp')]) {
      try {
        parseLink(bad);
      } catch (error) {
        expect(String((error as Error).message)).not.toContain(fragment.slice(0, 20));
      }
    }
  });
});

describe('base64url', () => {
  it('round-trips any bytes and matches the canonical length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(text.length).toBe(Math.ceil((bytes.length * 4) / 3));
        expect(Array.from(decodeBase64url(text))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('gives each fault its own code', () => {
    expect(codeOf(() => decodeBase64url('AB=='))).toBe('base64url_invalid');
    expect(codeOf(() => decodeBase64url('A'))).toBe('base64url_invalid');
    expect(codeOf(() => decodeBase64url('AB'))).toBe('base64url_non_canonical');
    expect(codeOf(() => decodeBase64url('AA', 2))).toBe('length_invalid');
  });
});
