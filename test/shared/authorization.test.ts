import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorizationTag, authVerifier, identityPatterns, isAuthorized } from '../../shared/authorization.js';
import { FormatError } from '../../shared/errors.js';

const authKey = new Uint8Array(32).fill(9);
const otherKey = new Uint8Array(32).fill(10);
const tagsOf = (key: Uint8Array, values: string[]) => values.map((value) => authorizationTag(key, value));
const identity = fc.stringMatching(/^\d{12}$/).map((digits) => `se-pnr:${digits}`);

describe('authorization tags', () => {
  it('lets exactly the listed identities read', () => {
    fc.assert(
      fc.property(identity, identity, (listed, other) => {
        fc.pre(listed !== other);
        const tags = tagsOf(authKey, [listed]);
        expect(isAuthorized(authKey, listed, tags)).toBe(true);
        expect(isAuthorized(authKey, other, tags)).toBe(false);
        expect(isAuthorized(otherKey, listed, tags)).toBe(false);
      }),
    );
  });

  it('lets a leading part of 4 to 11 digits cover everyone who shares it', () => {
    fc.assert(
      fc.property(identity, identity, fc.integer({ min: 4, max: 11 }), (reader, other, k) => {
        const pattern = `${reader.slice(0, 7 + k)}*`;
        const tags = tagsOf(authKey, [pattern]);
        expect(isAuthorized(authKey, reader, tags)).toBe(true);
        expect(isAuthorized(authKey, other, tags)).toBe(other.startsWith(pattern.slice(0, -1)));
      }),
    );
  });

  it('lets anyone read a wildcard link', () => {
    expect(isAuthorized(authKey, 'se-pnr:198112189876', '*')).toBe(true);
  });

  it('makes eight patterns of an identity', () => {
    expect(identityPatterns('se-pnr:198112189876')).toEqual([
      'se-pnr:1981*', 'se-pnr:19811*', 'se-pnr:198112*', 'se-pnr:1981121*',
      'se-pnr:19811218*', 'se-pnr:198112189*', 'se-pnr:1981121898*', 'se-pnr:19811218987*',
    ]);
  });

  it('refuses malformed identities, patterns and keys', () => {
    const codeOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return (error as FormatError).code;
      }
    };
    expect(codeOf(() => authorizationTag(authKey, 'se-pnr:198*'))).toBe('pattern_invalid');
    expect(codeOf(() => authorizationTag(authKey, '198112189876'))).toBe('pattern_invalid');
    expect(codeOf(() => authorizationTag(authKey, 'se-pnr:*'))).toBe('pattern_invalid');
    expect(codeOf(() => isAuthorized(authKey, 'se-pnr:1981*', []))).toBe('identity_invalid');
    expect(codeOf(() => authVerifier(new Uint8Array(31)))).toBe('length_invalid');
  });
});
