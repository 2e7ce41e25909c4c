import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressError, checkRecipients, parseChannel, parseRecipients } from '../../shared/address.js';
import { FormatError } from '../../shared/errors.js';
import { luhnCheckDigit } from '../../shared/identity-number.js';

function problemsOf(field: string, channel?: 'sms' | 'email' | 'mixed') {
  try {
    parseRecipients(field, channel ? { channel } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(AddressError);
    return (error as AddressError).problems;
  }
  throw new Error('the field was accepted');
}

const identityNumber = fc
  .record({ year: fc.integer({ min: 1930, max: 2015 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), birth: fc.integer({ min: 1, max: 999 }) })
  .map(({ year, month, day, birth }) => {
    const nine = `${String(year).slice(2)}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(birth).padStart(3, '0')}`;
    return `${String(year).slice(0, 2)}${nine}${luhnCheckDigit(nine)}`;
  });

describe('the seed service address syntax', () => {
  it('reads the documented example', () => {
    expect(parseRecipients('0701234567&login=198112189876&login=19800101*, anna@Example.SE?login=*')).toEqual([
      { channel: 'sms', address: '+46701234567', authorization: ['se-pnr:198112189876', 'se-pnr:19800101*'] },
      { channel: 'email', address: 'anna@example.se', authorization: '*' },
    ]);
  });

  it('accepts commas, semicolons and new lines, a trailing & and any written form of the number', () => {
    const field = '070-123 45 67&login=811218-9876&;\n\n bo@example.se?login=8112189876&login=198112189876&\r\n+46 73 987 65 43?login=1981*';
    expect(parseRecipients(field)).toEqual([
      { channel: 'sms', address: '+46701234567', authorization: ['se-pnr:198112189876'] },
      { channel: 'email', address: 'bo@example.se', authorization: ['se-pnr:198112189876'] },
      { channel: 'sms', address: '+46739876543', authorization: ['se-pnr:1981*'] },
    ]);
  });

  it('reads back any list it is given', () => {
    const entry = fc.record({
      address: fc.oneof(fc.constantFrom('0701234567', '+46 73 111 22 33', '0046761234567'), fc.emailAddress().filter((e) => !/[&?,;\s]/.test(e))),
      logins: fc.oneof(fc.constant<string[]>(['*']), fc.array(identityNumber, { minLength: 1, maxLength: 3 })),
      join: fc.constantFrom('&', '?'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 4, selector: (e) => e.address.replace(/\D/g, '').slice(-9) || e.address.toLowerCase() }), fc.constantFrom(',', ';', '\n'), (entries, separator) => {
        const field = entries.map((e) => `${e.address}${e.join}${e.logins.map((l) => `login=${l}`).join('&')}`).join(separator);
        let parsed;
        try {
          parsed = parseRecipients(field);
        } catch (error) {
          // fast-check's email addresses may fall outside what mail systems take; phones never do.
          fc.pre(!(error instanceof AddressError && error.problems.every((p) => p.code === 'email_invalid')));
          throw error;
        }
        expect(parsed).toHaveLength(entries.length);
        parsed.forEach((recipient, i) => {
          const logins = [...new Set(entries[i]!.logins)];
          expect(recipient.authorization).toEqual(logins[0] === '*' ? '*' : logins.map((l) => `se-pnr:${l}`));
          expect(recipient.channel).toBe(entries[i]!.address.includes('@') ? 'email' : 'sms');
        });
      }),
    );
  });

  it('names every wrong entry and its reason, without the identity number', () => {
    const problems = problemsOf('0701234567&login=198112189875, 08-123 456 78&login=*, nobody, anna@example.se, 0702222222&login=*&login=198112189876, 0733333333&to=x, 0701234567&login=*');
    expect(problems.map((p) => [p.entry, p.code])).toEqual([
      [1, 'login_invalid'],
      [2, 'phone_not_mobile'],
      [3, 'address_invalid'],
      [4, 'login_missing'],
      [5, 'login_wildcard_mixed'],
      [6, 'parameter_unknown'],
    ]);
    for (const problem of problems) expect(problem.reason).not.toContain('1981121898');
    const message = (() => {
      try {
        parseRecipients('0701234567&login=198112189875');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('Recipient 1 (+46701234567)');
    expect(message).not.toContain('198112189875');
  });

  it('refuses a duplicate address and an empty field', () => {
    expect(problemsOf('0701234567&login=*, 070-123 45 67&login=*').map((p) => p.code)).toEqual(['address_duplicate']);
    expect(problemsOf(' ,; \n').map((p) => p.code)).toEqual(['address_invalid']);
  });

  it('checks leading parts: 4 to 11 digits from the century', () => {
    expect(parseRecipients('0701234567&login=19800101*')[0]!.authorization).toEqual(['se-pnr:19800101*']);
    expect(problemsOf('0701234567&login=198*')[0]!.code).toBe('login_pattern_invalid');
    expect(problemsOf('0701234567&login=198001011234*')[0]!.code).toBe('login_pattern_invalid');
    expect(problemsOf('0701234567&login=800101*')[0]!.code).toBe('login_pattern_invalid');
  });

  it('says a leading part typed without its * needs one, without repeating it', () => {
    const [problem] = problemsOf('0701234567&login=19990807');
    expect(problem!.code).toBe('login_pattern_star_missing');
    expect(problem!.reason).toContain('needs its * at the end');
    expect(problem!.reason).not.toContain('19990807');
    expect(problemsOf('0701234567&login=1999')[0]!.code).toBe('login_pattern_star_missing');
    // A whole number with a wrong check digit is still that.
    expect(problemsOf('0701234567&login=198112189875')[0]!.code).toBe('login_invalid');
    expect(problemsOf('0701234567&login=8112189875')[0]!.code).toBe('login_invalid');
  });

  it('keeps SMS and email apart unless the channel is mixed', () => {
    expect(problemsOf('anna@example.se&login=*', 'sms')[0]!.code).toBe('channel_mismatch');
    expect(problemsOf('0701234567&login=*', 'email')[0]!.code).toBe('channel_mismatch');
    expect(parseRecipients('anna@example.se&login=*, 0701234567&login=*', { channel: 'mixed' })).toHaveLength(2);
    expect(parseChannel(' Mixed ')).toBe('mixed');
    expect(() => parseChannel('fax')).toThrow(FormatError);
  });

  it('checkRecipients gives every entry its own result as typed: the recipient, or the problem with the identity number’s own code', () => {
    const entries = checkRecipients('0701234567&login=198112189876\n\n0701234567&login=198112189875; 070-123 45 67&login=*, 08-123 456 78&login=*\nanna@example.se?cc=x');
    expect(entries.map((entry) => [entry.entry, entry.text, entry.problem?.code])).toEqual([
      [1, '0701234567&login=198112189876', undefined],
      [2, '0701234567&login=198112189875', 'login_invalid'],
      [3, '070-123 45 67&login=*', 'address_duplicate'],
      [4, '08-123 456 78&login=*', 'phone_not_mobile'],
      [5, 'anna@example.se?cc=x', 'parameter_unknown'],
    ]);
    expect(entries[0]!.recipient).toEqual({ channel: 'sms', address: '+46701234567', authorization: ['se-pnr:198112189876'] });
    expect(entries[1]!.problem!.detail).toBe('identity_number_checksum');
    expect(entries[1]!.problem!.reason).not.toContain('198112189875');
    expect(checkRecipients(' \n ;, ')).toEqual([]);
  });
});
