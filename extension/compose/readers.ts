/**
 * "Who may read", as the sender types it in the send dialog: personal identity numbers
 * in any written form, `*` for anyone who passes BankID, or a leading part of the number
 * followed by `*` (4 to 11 digits, from the century: `19800101*`), separated by commas,
 * semicolons, spaces or new lines. The rules are the seed service's login= values
 * (shared/address.ts).
 *
 * @example
 * parseReaders('811218-9876, 19800101*') // { readers: ['se-pnr:198112189876', 'se-pnr:19800101*'] }
 * parseReaders('*')                      // { readers: '*' }
 */
import { parseReader } from '../../shared/address.js';
import { problemText, text } from '../texts/index.js';

export type ReadersResult = { readers: '*' | string[] } | { problem: string };

export function parseReaders(input: string): ReadersResult {
  const values = input.split(/[,;\s]+/).filter((value) => value !== '');
  if (values.length === 0) return { problem: text('readers.missing') };
  if (values.includes('*')) {
    return values.length === 1 ? { readers: '*' } : { problem: text('readers.wildcardMixed') };
  }
  const readers: string[] = [];
  for (const [position, value] of values.entries()) {
    const reader = parseReader(value);
    if (typeof reader !== 'string') {
      const reason = problemText(reader.code, reader.reason);
      return { problem: values.length > 1 ? text('readers.value', { position: position + 1, reason }) : reason };
    }
    readers.push(reader);
  }
  return { readers: [...new Set(readers)] };
}

/** One line for the sender: who the readers are, without repeating the numbers. */
export function describeReaders(readers: '*' | string[]): string {
  if (readers === '*') return text('readers.anyone');
  const people = readers.filter((reader) => !reader.endsWith('*')).length;
  const groups = readers.length - people;
  const parts = [
    people ? (people === 1 ? text('readers.person') : text('readers.people', { count: people })) : '',
    groups ? (groups === 1 ? text('readers.group') : text('readers.groups', { count: groups })) : '',
  ];
  return text('readers.some', { who: parts.filter(Boolean).join(text('readers.and')) });
}
