import { describe, expect, it } from 'vitest';
import { FormatError } from '../../shared/errors.js';
import { parseMobileNumber } from '../../shared/phone-number.js';

function codeOf(input: string): string | undefined {
  try {
    parseMobileNumber(input);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as FormatError).code;
  }
}

describe('mobile numbers', () => {
  it('reads the forms Swedes write mobile numbers in', () => {
    for (const form of ['0701234567', '070-123 45 67', '070 123 45 67', '+46 70 123 45 67', '+46701234567', '0046 70 123 45 67', '(070) 123 45 67', '070-1234567']) {
      expect(parseMobileNumber(form), form).toBe('+46701234567');
    }
    expect(parseMobileNumber('073-987 65 43')).toBe('+46739876543');
  });

  it('reads international mobile numbers', () => {
    expect(parseMobileNumber('+47 412 34 567')).toBe('+4741234567');
    expect(parseMobileNumber('0044 7911 123456')).toBe('+447911123456');
    expect(parseMobileNumber('+358 40 1234567')).toBe('+358401234567');
  });

  it('refuses numbers that cannot get SMS and numbers that are not numbers', () => {
    expect(codeOf('08-123 456 78')).toBe('phone_not_mobile');
    expect(codeOf('+46 8 123 456 78')).toBe('phone_not_mobile');
    expect(codeOf('070123')).toBe('phone_invalid');
    expect(codeOf('0701234567890')).toBe('phone_invalid');
    expect(codeOf('anna@example.se')).toBe('phone_invalid');
    expect(codeOf('')).toBe('phone_invalid');
  });
});
