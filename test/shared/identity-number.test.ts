import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../shared/errors.js';
import { luhnCheckDigit, parseIdentityNumber } from '../../shared/identity-number.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A valid number: date (day + 60 for a coordination number), birth number and Luhn digit. */
const validNumber = (years: { min: number; max: number }) =>
  fc
    .record({
      year: fc.integer(years),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      birth: fc.integer({ min: 1, max: 999 }),
      coordination: fc.boolean(),
    })
    .map(({ year, month, day, birth, coordination }) => {
      const date = `${pad(year % 100)}${pad(month)}${pad(coordination ? day + 60 : day)}`;
      const nine = date + pad(birth, 3);
      const check = luhnCheckDigit(nine);
      return { century: String(year).slice(0, 2), date, last: `${pad(birth, 3)}${check}`, coordination };
    });

function codeOf(input: string): string | undefined {
  try {
    parseIdentityNumber(input);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    const digits = input.replace(/\D/g, '');
    if (digits.length >= 6) expect((error as Error).message).not.toContain(digits.slice(0, 6));
    return (error as FormatError).code;
  }
}

describe('identity numbers', () => {
  it('reads every written form of a number under 100 years to the same 12 digits', () => {
    fc.assert(
      fc.property(validNumber({ min: 1930, max: 2020 }), ({ century, date, last, coordination }) => {
        const digits = `${century}${date}${last}`;
        for (const form of [digits, `${century}${date}-${last}`, `${date}-${last}`, `${date}${last}`, ` ${date} - ${last} `]) {
          const parsed = parseIdentityNumber(form);
          expect(parsed.digits).toBe(digits);
          expect(parsed.identity).toBe(`se-pnr:${digits}`);
          expect(parsed.coordination).toBe(coordination);
        }
      }),
    );
  });

  it('reads + as 100 years or more', () => {
    fc.assert(
      fc.property(validNumber({ min: 1901, max: 1924 }), ({ century, date, last }) => {
        expect(parseIdentityNumber(`${date}+${last}`).digits).toBe(`${century}${date}${last}`);
      }),
    );
    expect(parseIdentityNumber('090527+1474').digits).toBe('190905271474');
  });

  it('refuses any single wrong check digit', () => {
    fc.assert(
      fc.property(validNumber({ min: 1930, max: 2020 }), fc.integer({ min: 1, max: 9 }), ({ century, date, last }, shift) => {
        const wrong = `${last.slice(0, 3)}${(Number(last[3]) + shift) % 10}`;
        expect(codeOf(`${century}${date}${wrong}`)).toBe('identity_number_checksum');
      }),
    );
  });

  it('knows the numbers of the reference sheet', () => {
    for (const valid of ['199908072391', '200211242383', '201701012393', '196802020575', '198211059954', '199012119948', '200012099891']) {
      expect(parseIdentityNumber(valid).digits).toBe(valid);
    }
    expect(parseIdentityNumber('195705749959').coordination).toBe(true);
    expect(parseIdentityNumber('701063-2391')).toEqual({ digits: '197010632391', identity: 'se-pnr:197010632391', coordination: true });
    expect(codeOf('198707049996')).toBe('identity_number_checksum');
    expect(codeOf('201509160006')).toBe('identity_number_format');
  });

  it('gives each kind of mistake its own code', () => {
    expect(codeOf('')).toBe('identity_number_format');
    expect(codeOf('19811218-987')).toBe('identity_number_format');
    expect(codeOf('1981121898761')).toBe('identity_number_format');
    expect(codeOf('811218/9876')).toBe('identity_number_format');
    expect(codeOf('811218-T876')).toBe('identity_number_format');
    // Luhn-valid but 31 February does not exist.
    const nine = `810231${'987'}`;
    expect(codeOf(`${nine}${luhnCheckDigit(nine)}`)).toBe('identity_number_date');
  });
});
