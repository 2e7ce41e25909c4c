import Personnummer from 'personnummer';
import { identityScheme } from './authorization.js';
import { FormatError } from './errors.js';

/**
 * Swedish personal identity numbers (personnummer) and coordination numbers
 * (samordningsnummer, day + 60) in every written form: 10 or 12 digits, with `-`,
 * with `+` for people aged 100 or more, or with no separator. The canonical form is
 * 12 digits `YYYYMMDDNNNC`; the identity string is `se-pnr:` + those digits.
 * Error messages never repeat the number.
 *
 * @example
 * parseIdentityNumber('811218-9876')
 * // { digits: '198112189876', identity: 'se-pnr:198112189876', coordination: false }
 * parseIdentityNumber('090527+1474').digits // '190905271474'
 */
export interface IdentityNumber {
  /** 12 digits, YYYYMMDDNNNC. */
  digits: string;
  /** `se-pnr:` + digits. */
  identity: string;
  /** A coordination number (day + 60). */
  coordination: boolean;
}

const writtenForm = /^(\d{2})?(\d{6})([-+]?)(\d{4})$/;

/** The Luhn check digit over the 9 digits YYMMDDNNN (weights 2, 1, 2, 1, …). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

export function parseIdentityNumber(input: string): IdentityNumber {
  if (typeof input !== 'string') {
    throw new FormatError('identity_number_format', 'a personal identity number is text');
  }
  const match = writtenForm.exec(input.replace(/\s+/g, ''));
  if (!match) {
    throw new FormatError(
      'identity_number_format',
      'a personal identity number has 10 or 12 digits, as YYYYMMDD-NNNN or YYMMDD-NNNN',
    );
  }
  const [, , date = '', , last = ''] = match;
  if (last.startsWith('000')) throw new FormatError('identity_number_format', 'the birth number 000 is never issued');
  if (luhnCheckDigit(date + last.slice(0, 3)) !== Number(last[3])) {
    throw new FormatError('identity_number_checksum', 'the check digit does not match; a digit may be mistyped');
  }
  let parsed: Personnummer;
  try {
    parsed = Personnummer.parse(match[0], { allowCoordinationNumber: true, allowInterimNumber: false });
  } catch {
    throw new FormatError('identity_number_date', 'the date in the personal identity number does not exist');
  }
  const digits = parsed.format(true);
  return { digits, identity: identityScheme + digits, coordination: parsed.isCoordinationNumber() };
}
