/**
 * The words that carry a link: the email body and the SMS text, in Swedish and English.
 * The errand first (it is readable without BankID anyway), one sentence on how to open
 * the message, and the link. The link itself comes from shared/link.ts, never built here.
 *
 * @example
 * emailBody('Ditt hyresavtal', link, 'sv')
 * // 'Ditt hyresavtal\n\nMeddelandet är skyddat: öppna länken och legitimera dig med BankID för att läsa det.\n<link>'
 */
export type Language = 'sv' | 'en';

export const languages: readonly Language[] = ['sv', 'en'];

export const openingSentence: Record<Language, string> = {
  sv: 'Meddelandet är skyddat: öppna länken och legitimera dig med BankID för att läsa det.',
  en: 'The message is protected: open the link and identify yourself with BankID to read it.',
};

export function emailBody(errand: string, link: string, language: Language): string {
  return `${errand}\n\n${openingSentence[language]}\n${link}`;
}

export function smsText(errand: string, link: string, language: Language): string {
  return `${errand}\n${openingSentence[language]}\n${link}`;
}
