import type { Language } from './texts.js';

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A size as every app shows it, sender's and recipient's alike, so that one file reads
 * the same everywhere: binary units (the server's limit is configured in them, 100 MiB
 * by default, so a file and the limit beside it compare at a glance), with the
 * language's decimal mark. Up to one decimal ("812 KiB", "1,5 GiB", "68.4 KiB");
 * `fixed` always gives one (but bytes none), for progress that should not jump in width
 * ("5.0 MiB / 12.0 MiB").
 *
 * @example
 * formatSize(100 * 1024 ** 2, 'sv')             // '100 MiB'
 * formatSize(1536, 'sv')                         // '1,5 KiB'
 * formatSize(5 * 1024 ** 2, 'en', { fixed: true }) // '5.0 MiB'
 */
export function formatSize(bytes: number, language: Language, options: { fixed?: boolean } = {}): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : options.fixed ? 1 : value >= 100 ? 0 : 1;
  const format = new Intl.NumberFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: options.fixed ? digits : 0, useGrouping: false });
  return `${format.format(value)} ${units[unit]}`;
}
