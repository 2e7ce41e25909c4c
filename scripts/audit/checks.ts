/**
 * The audit's detectors: personal identity numbers, phone numbers and email addresses
 * in any bytes or text; whether bytes look random; the lengths the format implies.
 * A finding never carries the value it found (only where).
 */

/** Luhn over the digits (the last one is the check digit). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const validDate = (month: string, day: string) => Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= 91; // 61–91: samordningsnummer

/** Kinds of personal data found in `text` (latin1 of the bytes, so binary is searched too). */
export function personalDataIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<!\d)(1[89]|20)(\d{2})(\d{2})(\d{2})(\d{4})(?!\d)/g)) {
    if (validDate(match[3]!, match[4]!) && luhnValid(`${match[2]}${match[3]}${match[4]}${match[5]}`)) found.add('personal identity number');
  }
  for (const match of text.matchAll(/(?<![\d-])(\d{2})(\d{2})(\d{2})[-+](\d{4})(?![\d-])/g)) {
    if (validDate(match[2]!, match[3]!) && luhnValid(`${match[1]}${match[2]}${match[3]}${match[4]}`)) found.add('personal identity number');
  }
  if (/(?<![\dA-Za-z])(?:\+46|0046|0)[ -]?7[02369](?:[ -]?\d){7}(?!\d)/.test(text) || /(?<![\w+])\+[1-9]\d{8,13}(?!\d)/.test(text)) found.add('phone number');
  if (/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/.test(text)) found.add('email address');
  return [...found];
}

/** The share of printable ASCII (and whitespace) bytes; random bytes give about 0.38. */
export function printableShare(bytes: Uint8Array): number {
  let printable = 0;
  for (const byte of bytes) if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09) printable++;
  return bytes.length === 0 ? 0 : printable / bytes.length;
}

/** Pearson's chi-square of the byte histogram against uniform (255 degrees of freedom). */
export function chiSquare(bytes: Uint8Array): number {
  const counts = new Array<number>(256).fill(0);
  for (const byte of bytes) counts[byte]!++;
  const expected = bytes.length / 256;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/** Enough bytes for the chi-square test (4 expected per bin). */
export const minRandomnessBytes = 1024;
/** 255 degrees of freedom: mean 255, sd ≈ 22.6; this is more than 8 sd above. */
export const chiSquareLimit = 436;

/** Why `bytes` do not look like ciphertext, or undefined when they do. */
export function notRandom(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 32 && printableShare(bytes) > 0.85) return 'readable text where only ciphertext belongs';
  if (bytes.length >= minRandomnessBytes && chiSquare(bytes) > chiSquareLimit) return `bytes do not look random (chi-square ${Math.round(chiSquare(bytes))} over ${bytes.length} bytes)`;
  return undefined;
}

/** Whether `length` is a sealed length the format allows: L + 16 × max(1, ceil(L / 65536)). */
export function sealedLengthValid(length: number): boolean {
  if (!Number.isInteger(length) || length < 16) return false;
  const chunks = Math.max(1, Math.ceil(length / 65_552));
  const plain = length - 16 * chunks;
  return plain >= 0 && Math.max(1, Math.ceil(plain / 65_536)) === chunks;
}

/** base64url to bytes, or undefined when it is not base64url. */
export function base64urlBytes(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(value, 'base64url'));
}
