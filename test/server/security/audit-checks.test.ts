/** The audit's detectors (scripts/audit/checks.ts), each with what it must find and what it must leave alone. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { luhnValid, notRandom, personalDataIn, sealedLengthValid } from '../../../scripts/audit/checks.js';

describe('the audit’s detectors', () => {
  it('finds personal identity numbers in both forms only with a valid date and check digit', () => {
    expect(luhnValid('9908072391')).toBe(true);
    expect(personalDataIn('x199908072391x')).toEqual(['personal identity number']);
    expect(personalDataIn('id 990807-2391.')).toEqual(['personal identity number']);
    expect(personalDataIn('199908072392')).toEqual([]); // wrong check digit
    expect(personalDataIn('199913072391')).toEqual([]); // month 13
    expect(personalDataIn('"time":1748779200000')).toEqual([]); // 13 digits: a timestamp
  });

  it('finds Swedish mobile and international numbers and email addresses, not masked hints', () => {
    expect(personalDataIn('ring 070-123 45 67')).toEqual(['phone number']);
    expect(personalDataIn('+46701234567')).toEqual(['phone number']);
    expect(personalDataIn('+46…67')).toEqual([]);
    expect(personalDataIn('skriv till anna@example.se')).toEqual(['email address']);
    expect(personalDataIn(randomBytes(32).toString('base64url'))).toEqual([]);
  });

  it('tells ciphertext from readable or skewed bytes', () => {
    expect(notRandom(randomBytes(64 * 1024))).toBeUndefined();
    expect(notRandom(Buffer.from('Hej Anna, här är avtalet. '.repeat(100)))).toMatch(/readable text/);
    expect(notRandom(new Uint8Array(4096).fill(0))).toMatch(/do not look random/);
  });

  it('accepts exactly the sealed lengths L + 16 × max(1, ceil(L / 65536))', () => {
    expect([16, 17, 65_552, 65_553 + 16, 2 * 65_552].map(sealedLengthValid)).toEqual([true, true, true, true, true]);
    expect([0, 15, 65_553, 65_568].map(sealedLengthValid)).toEqual([false, false, false, false]);
  });
});
