/**
 * `userVisibleData` and `userNonVisibleData` travel as base64 of UTF-8 text.
 *
 * @example
 * client.sign({ endUserIp, userVisibleData: encodeUserData('Jag godkänner villkoren') })
 */
export function encodeUserData(text: string): string {
  if (text.length === 0) throw new RangeError('user data must not be empty');
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Reverses `encodeUserData()`. */
export function decodeUserData(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}
