/**
 * How an SMS text is split into parts (3GPP TS 23.038 / 23.040), the rules 46elks and
 * Twilio both apply: GSM-7 fits 160 characters in one part and 153 per part when
 * concatenated (the extension characters `^{}\[~]|€` take two); anything outside GSM-7
 * makes the whole text UCS-2, 70 code units in one part and 67 per part, a surrogate pair
 * never split. The link must sit whole in one part.
 *
 * @example
 * smsParts('Hej https://sigill.se/o/abc#key', 'https://sigill.se/o/abc#key') // { encoding: 'gsm7', parts: 1 }
 */
const basic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const extension = '\f^{}\\[~]|€';
const gsmBasic = new Set(basic);
const gsmExtension = new Set(extension);

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsParts {
  encoding: SmsEncoding;
  parts: number;
}

export class SmsTextError extends Error {
  constructor(
    readonly code: 'sms_too_long' | 'sms_link_split',
    message: string,
  ) {
    super(message);
    this.name = 'SmsTextError';
  }
}

/** The most parts a relayed SMS may take (the request's 918 GSM-7 characters). */
export const maxSmsParts = 6;

/** Each character's units: GSM-7 septets, or UTF-16 code units for UCS-2. */
function units(text: string): { encoding: SmsEncoding; sizes: number[] } {
  const characters = [...text];
  if (characters.every((c) => gsmBasic.has(c) || gsmExtension.has(c))) {
    return { encoding: 'gsm7', sizes: characters.map((c) => (gsmExtension.has(c) ? 2 : 1)) };
  }
  return { encoding: 'ucs2', sizes: characters.map((c) => c.length) };
}

/**
 * Splits `text` into parts and checks that `link` (which the text contains) lies in one
 * part. Throws SmsTextError `sms_too_long` past `maxParts`, `sms_link_split` when a part
 * boundary would cut the link.
 */
export function smsParts(text: string, link: string, maxParts = maxSmsParts): SmsParts {
  const { encoding, sizes } = units(text);
  const single = encoding === 'gsm7' ? 160 : 70;
  const each = encoding === 'gsm7' ? 153 : 67;
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= single) return { encoding, parts: 1 };
  // Part of each character, filling parts greedily; a two-unit character never straddles.
  const partOf: number[] = [];
  let part = 0;
  let used = 0;
  for (const size of sizes) {
    if (used + size > each) {
      part++;
      used = 0;
    }
    partOf.push(part);
    used += size;
  }
  const parts = part + 1;
  if (parts > maxParts) throw new SmsTextError('sms_too_long', `the SMS text takes ${parts} parts; at most ${maxParts} are allowed`);
  const characters = [...text];
  const start = [...text.slice(0, text.indexOf(link))].length;
  const end = start + [...link].length - 1;
  if (start < 0 || end >= characters.length) throw new SmsTextError('sms_link_split', 'the SMS text does not hold the link');
  if (partOf[start] !== partOf[end]) {
    throw new SmsTextError('sms_link_split', `the link would be cut between SMS parts ${partOf[start]! + 1} and ${partOf[end]! + 1}; move it or shorten the text before it`);
  }
  return { encoding, parts };
}

/** The link in an SMS text: from its scheme to the next whitespace. */
export function linkIn(text: string, linkId: string): string | undefined {
  return text.match(new RegExp(`https?://\\S*/o/${linkId}#\\S+`))?.[0];
}
