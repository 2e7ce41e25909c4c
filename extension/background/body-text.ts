/**
 * The words that carry a link: the email body the webmail sends, and the SMS copies.
 * The errand first (it is readable without BankID anyway), one sentence on how to open
 * the message, and the link. The link itself comes from shared/link.ts, never built here.
 *
 * @example
 * emailBody('Ditt hyresavtal', link)
 * // 'Ditt hyresavtal\n\nMeddelandet är skyddat: öppna länken och legitimera dig med BankID för att läsa det.\n<link>'
 */
export const openingSentence = 'Meddelandet är skyddat: öppna länken och legitimera dig med BankID för att läsa det.';

export function emailBody(errand: string, link: string): string {
  return `${errand}\n\n${openingSentence}\n${link}`;
}

export function smsText(errand: string, link: string): string {
  return `${errand}\n${openingSentence}\n${link}`;
}
