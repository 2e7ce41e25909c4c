import { identityScheme } from './authorization.js';
import { FormatError } from './errors.js';
import { parseIdentityNumber } from './identity-number.js';
import { looksLikePhoneNumber, parseMobileNumber } from './phone-number.js';

/**
 * The seed service's address syntax, accepted by the toolbox, the CLI and the API.
 * A recipients field holds phone numbers and/or email addresses separated by commas,
 * semicolons or new lines. Each may be followed by `&login=<who>` or `?login=<who>`,
 * one or more times, a trailing `&` allowed. `<who>` is a personal identity number in
 * any written form, `*` (anyone who passes BankID), or the first 4–11 digits of the
 * 12-digit number followed by `*`. The channel word `mixed` means both SMS and email.
 *
 * @example
 * parseRecipients('0701234567&login=198001011234&login=19800101*, anna@example.se?login=*')
 * // [{ channel: 'sms', address: '+46701234567', authorization: ['se-pnr:198001011234', 'se-pnr:19800101*'] },
 * //  { channel: 'email', address: 'anna@example.se', authorization: '*' }]
 */
export type Channel = 'sms' | 'email' | 'mixed';

export interface RecipientAddress {
  channel: 'sms' | 'email';
  /** E.164 for SMS, the email address (domain lower-cased) for email. */
  address: string;
  /** `'*'` for anyone, or identities (`se-pnr:` + 12 digits) and patterns (`se-pnr:` + digits + `*`). */
  authorization: '*' | string[];
}

export type AddressProblemCode =
  | 'address_invalid'
  | 'address_duplicate'
  | 'channel_mismatch'
  | 'phone_invalid'
  | 'phone_not_mobile'
  | 'email_invalid'
  | 'parameter_unknown'
  | 'login_missing'
  | 'login_invalid'
  | 'login_pattern_invalid'
  | 'login_pattern_star_missing'
  | 'login_wildcard_mixed';

export interface AddressProblem {
  /** 1-based position of the entry in the field. */
  entry: number;
  /** The entry's address part (never the login values: they are identity numbers). */
  address: string;
  code: AddressProblemCode;
  reason: string;
  /** For login_invalid: the identity number's own code (identity_number_checksum for a wrong check digit, …). */
  detail?: string;
}

/** Raised when any entry is wrong; `problems` lists every wrong entry, not only the first. */
export class AddressError extends FormatError {
  constructor(readonly problems: AddressProblem[]) {
    super('address_invalid', problems.map((p) => `Recipient ${p.entry} (${p.address || 'empty'}): ${p.reason}`).join('\n'));
  }
}

const emailPattern = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function parseChannel(word: string): Channel {
  const channel = word.trim().toLowerCase();
  if (channel === 'sms' || channel === 'email' || channel === 'mixed') return channel;
  throw new FormatError('address_invalid', 'the channel is sms, email or mixed');
}

/** One entry of a recipients field as it was checked: its text and either the recipient or the problem. */
export interface CheckedEntry {
  /** 1-based position among the non-empty entries. */
  entry: number;
  /** The entry as typed, trimmed (it may hold identity numbers: show it only to the sender). */
  text: string;
  recipient?: RecipientAddress;
  problem?: AddressProblem;
}

/**
 * Every entry of a recipients field with its own result, for a field that checks as the
 * sender types (the toolbox): duplicates are found as parseRecipients finds them.
 *
 * @example
 * checkRecipients('0701234567&login=*\n0812345678&login=*').map((entry) => entry.problem?.code)
 * // [undefined, 'phone_not_mobile']
 */
export function checkRecipients(field: string, options: { channel?: Channel } = {}): CheckedEntry[] {
  const channel = options.channel ?? 'mixed';
  const seen = new Set<string>();
  const entries = field.split(/[,;\r\n]+/).map((entry) => entry.trim()).filter((entry) => entry !== '');
  return entries.map((text, index): CheckedEntry => {
    const entry = index + 1;
    const result = parseEntry(text, channel);
    if ('problem' in result) return { entry, text, problem: { entry, ...result.problem } };
    if (seen.has(result.recipient.address)) {
      const reason = 'this address is already listed; put all its login= values on one entry';
      return { entry, text, problem: { entry, address: result.recipient.address, code: 'address_duplicate', reason } };
    }
    seen.add(result.recipient.address);
    return { entry, text, recipient: result.recipient };
  });
}

export function parseRecipients(field: string, options: { channel?: Channel } = {}): RecipientAddress[] {
  const checked = checkRecipients(field, options);
  const problems = checked.flatMap((entry) => (entry.problem ? [entry.problem] : []));
  if (problems.length > 0) throw new AddressError(problems);
  if (checked.length === 0) {
    throw new AddressError([{ entry: 1, address: '', code: 'address_invalid', reason: 'no recipient is given' }]);
  }
  return checked.map((entry) => entry.recipient!);
}

type EntryResult = { recipient: RecipientAddress } | { problem: Omit<AddressProblem, 'entry'> };

function parseEntry(entry: string, channel: Channel): EntryResult {
  const split = entry.search(/[&?]/);
  const addressText = (split < 0 ? entry : entry.slice(0, split)).trim();
  const parameters = split < 0 ? [] : entry.slice(split + 1).split(/[&?]/).map((p) => p.trim()).filter((p) => p !== '');
  const fail = (code: AddressProblemCode, reason: string, address = addressText, detail?: string): EntryResult => ({
    problem: { address, code, reason, ...(detail !== undefined ? { detail } : {}) },
  });

  let recipient: Omit<RecipientAddress, 'authorization'>;
  if (looksLikePhoneNumber(addressText)) {
    if (channel === 'email') return fail('channel_mismatch', 'a phone number, but the channel is email');
    try {
      recipient = { channel: 'sms', address: parseMobileNumber(addressText) };
    } catch (error) {
      const code = error instanceof FormatError && error.code === 'phone_not_mobile' ? 'phone_not_mobile' : 'phone_invalid';
      return fail(code, code === 'phone_not_mobile' ? 'not a mobile number, so it cannot get SMS' : 'not a valid phone number');
    }
  } else if (addressText.includes('@')) {
    if (channel === 'sms') return fail('channel_mismatch', 'an email address, but the channel is SMS');
    if (!emailPattern.test(addressText)) return fail('email_invalid', 'not a valid email address');
    const at = addressText.lastIndexOf('@');
    recipient = { channel: 'email', address: addressText.slice(0, at) + addressText.slice(at).toLowerCase() };
  } else {
    return fail('address_invalid', 'neither a mobile number nor an email address');
  }

  const logins: string[] = [];
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=', 2).map((part) => part.trim());
    if (name?.toLowerCase() !== 'login') {
      return fail('parameter_unknown', 'only login=<personal identity number or *> may follow the address', recipient.address);
    }
    const login = parseReader(value);
    if (typeof login !== 'string') return fail(login.code, `login=: ${login.reason}`, recipient.address, login.detail);
    if (!logins.includes(login)) logins.push(login);
  }
  if (logins.length === 0) {
    return fail('login_missing', 'say who may read: add &login=<personal identity number>, or &login=* for anyone', recipient.address);
  }
  if (logins.includes('*') && logins.length > 1) {
    return fail('login_wildcard_mixed', 'login=* already lets anyone read; remove the other login= values', recipient.address);
  }
  return { recipient: { ...recipient, authorization: logins[0] === '*' ? '*' : logins } };
}

/**
 * One "who may read" value (a login= value): `*`, a leading part and `*`, or a personal
 * identity number in any written form, as `*` or an identity string; or why not.
 *
 * @example
 * parseReader('811218-9876') // 'se-pnr:198112189876'
 * parseReader('19800101*')   // 'se-pnr:19800101*'
 */
export function parseReader(value: string): string | { code: AddressProblemCode; reason: string; detail?: string } {
  if (value === '*') return '*';
  if (value.endsWith('*')) {
    const digits = value.slice(0, -1).replace(/[\s-]/g, '');
    if (!/^\d{4,11}$/.test(digits)) {
      return { code: 'login_pattern_invalid', reason: 'a leading part is 4 to 11 digits followed by *, such as 19800101*' };
    }
    if (!/^(18|19|20)/.test(digits)) {
      return { code: 'login_pattern_invalid', reason: 'a leading part starts with the century, such as 19800101*' };
    }
    return `${identityScheme}${digits}*`;
  }
  try {
    return parseIdentityNumber(value).identity;
  } catch (error) {
    // Digits from the century, too few for a whole number: a leading part without its *.
    const digits = value.replace(/[\s-]/g, '');
    if (/^(18|19|20)\d{2,9}$/.test(digits) && digits.length !== 10) {
      return {
        code: 'login_pattern_star_missing',
        reason: 'a leading part needs its * at the end (such as 19800101*) to let everyone whose number starts so read; or give the whole personal identity number',
      };
    }
    if (!(error instanceof FormatError)) throw error;
    return { code: 'login_invalid', reason: error.message, detail: error.code };
  }
}
