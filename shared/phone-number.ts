import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { FormatError } from './errors.js';

/**
 * Mobile numbers as people write them (070-123 45 67, +46 70 123 45 67,
 * 0046 70 123 45 67, international numbers with + or 00) to E.164. Swedish is
 * assumed when no country code is written. Only numbers that can receive SMS pass.
 *
 * @example
 * parseMobileNumber('070-123 45 67') // '+46701234567'
 * parseMobileNumber('08-123 456 78') // FormatError phone_not_mobile
 */
export function parseMobileNumber(input: string): string {
  if (typeof input !== 'string' || !/^[\d\s()+\-./]+$/.test(input.trim())) {
    throw new FormatError('phone_invalid', 'a phone number has digits, and may have +, spaces and dashes');
  }
  const text = input.trim().replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(text, 'SE');
  if (!parsed || !parsed.isValid()) {
    throw new FormatError('phone_invalid', 'this is not a valid phone number');
  }
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    throw new FormatError('phone_not_mobile', 'this is not a mobile number and cannot receive SMS');
  }
  return parsed.number;
}

/** Whether `input` looks like a phone number rather than an email address. */
export function looksLikePhoneNumber(input: string): boolean {
  return /^[\d\s()+\-./]+$/.test(input.trim()) && /\d/.test(input);
}
