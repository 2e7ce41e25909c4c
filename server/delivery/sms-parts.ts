/**
 * How an SMS text is split into parts (3GPP TS 23.038 / 23.040), the rules 46elks and
 * Twilio both apply: GSM-7 fits 160 characters in one part and 153 per part when
 * concatenated (the extension characters `^{}\[~]|€` take two); anything outside GSM-7
 * makes the whole text UCS-2, 70 code units in one part and 67 per part, a surrogate pair
 * never split. The link must sit whole in one part (a phone that does not join the parts
 * shows each alone).
 *
 * @example
 * fitSms('Hej https://sigill.se/o/abc#key', 'https://sigill.se/o/abc#key') // { encoding: 'gsm7', parts: 1, … }
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

interface Layout extends SmsParts {
  /** Characters (code points) before the link, and its first and last part. */
  linkStart: number;
  firstPart: number;
  lastPart: number;
  /** Units free in the link's first part before the link starts. */
  freeBeforeLink: number;
}

function layout(text: string, link: string): Layout {
  const { encoding, sizes } = units(text);
  const single = encoding === 'gsm7' ? 160 : 70;
  const each = encoding === 'gsm7' ? 153 : 67;
  const linkStart = [...text.slice(0, text.indexOf(link))].length;
  const linkEnd = linkStart + [...link].length - 1;
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= single) return { encoding, parts: 1, linkStart, firstPart: 0, lastPart: 0, freeBeforeLink: 0 };
  // Parts filled greedily; a two-unit character never straddles a boundary.
  let part = 0;
  let used = 0;
  let firstPart = 0;
  let lastPart = 0;
  let freeBeforeLink = 0;
  sizes.forEach((size, index) => {
    if (used + size > each) {
      part++;
      used = 0;
    }
    if (index === linkStart) {
      firstPart = part;
      freeBeforeLink = each - used;
    }
    if (index === linkEnd) lastPart = part;
    used += size;
  });
  return { encoding, parts: part + 1, linkStart, firstPart, lastPart, freeBeforeLink };
}

/** Typographic characters that force UCS-2, and their GSM-7 stand-ins. */
const gsmStandIns: Record<string, string> = { '‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '…': '...', '\u00a0': ' ', '\u2009': ' ' };

export interface FittedSms extends SmsParts {
  /** The text to send: the sender's, or reflowed so the link sits whole in one part. */
  text: string;
  reflowed: boolean;
}

/**
 * Lays `text` out in parts so that `link` (which it contains) lies whole in one part.
 * When a boundary would cut it, reflows: typographic quotes and dashes become their
 * GSM-7 forms (a UCS-2 part of 67 holds no link), then spaces before the link move it to
 * the next part. Throws SmsTextError `sms_link_split` when no reflow keeps it whole (a
 * text that needs UCS-2, e.g. for an emoji), `sms_too_long` past `maxParts`.
 *
 * @example
 * fitSms(`${'a'.repeat(140)} ${link}`, link) // { parts: 2, reflowed: true, text: 'aaa…a' + 13 spaces + link }
 */
export function fitSms(text: string, link: string, maxParts = maxSmsParts): FittedSms {
  if (!text.includes(link)) throw new SmsTextError('sms_link_split', 'the SMS text does not hold the link');
  let candidate = text;
  let laid = layout(candidate, link);
  if (laid.firstPart !== laid.lastPart && laid.encoding === 'ucs2') {
    const plain = [...candidate].map((c) => gsmStandIns[c] ?? c).join('');
    const relaid = layout(plain, link);
    if (relaid.encoding === 'gsm7') [candidate, laid] = [plain, relaid];
  }
  if (laid.firstPart !== laid.lastPart) {
    // Before the whitespace that precedes the link, so the padding ends a line unseen.
    const linkAt = candidate.indexOf(link);
    const at = linkAt - (/\s*$/.exec(candidate.slice(0, linkAt))?.[0].length ?? 0);
    const padded = candidate.slice(0, at) + ' '.repeat(laid.freeBeforeLink) + candidate.slice(at);
    const relaid = layout(padded, link);
    if (relaid.firstPart === relaid.lastPart) [candidate, laid] = [padded, relaid];
  }
  if (laid.firstPart !== laid.lastPart) {
    throw new SmsTextError(
      'sms_link_split',
      'the link cannot sit whole in one SMS part: the text needs characters outside the GSM alphabet (such as emoji), whose parts are shorter than the link; remove them',
    );
  }
  if (laid.parts > maxParts) throw new SmsTextError('sms_too_long', `the SMS text takes ${laid.parts} parts; at most ${maxParts} are allowed`);
  return { text: candidate, encoding: laid.encoding, parts: laid.parts, reflowed: candidate !== text };
}

/** The link in an SMS text: from its scheme to the next whitespace. */
export function linkIn(text: string, linkId: string): string | undefined {
  return text.match(new RegExp(`https?://\\S*/o/${linkId}#\\S+`))?.[0];
}
