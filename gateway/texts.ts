import type { SentLink } from '../client/send.js';

/**
 * The sender's confirmation of a gateway mail, in Swedish or English: which recipients
 * got what, who may read each, and the links only when the sender asked for them
 * (`#links` at the end of the subject), since a link carries the message's secret.
 */
export type Language = 'sv' | 'en';

export interface ConfirmationLine {
  link: SentLink;
  /** true: handed to the provider now or on an earlier attempt. */
  accepted: boolean;
}

const words = {
  sv: {
    subject: (errand: string) => `Skickat säkert: ${errand}`,
    intro: (errand: string) => `Ditt mejl ”${errand}” har skickats säkert genom Sigill.`,
    sms: 'SMS till',
    email: 'E-post till',
    readers: 'får läsa',
    anyone: 'alla som legitimerar sig med BankID',
    sent: 'skickat',
    earlier: 'skickat vid ett tidigare försök',
    failed: 'kunde inte skickas',
    link: 'Länk',
    follow: 'Vem som har läst ser du i verktygslådan (skickade meddelanden) eller med `sigill status`.',
    notE2e:
      'Obs: ett mejl till gatewayen är inte krypterat hela vägen. Det har passerat din e-postleverantör och servern i klartext ett ögonblick. Använd verktygslådan eller tillägget när innehållet aldrig får nå servern läsbart.',
  },
  en: {
    subject: (errand: string) => `Sent securely: ${errand}`,
    intro: (errand: string) => `Your mail “${errand}” was sent securely through Sigill.`,
    sms: 'SMS to',
    email: 'Email to',
    readers: 'may read',
    anyone: 'anyone who identifies with BankID',
    sent: 'sent',
    earlier: 'sent on an earlier attempt',
    failed: 'could not be sent',
    link: 'Link',
    follow: 'See who has read in the toolbox (sent messages) or with `sigill status`.',
    notE2e:
      'Note: a mail to the gateway is not end-to-end encrypted. Your mail provider and this server saw it in the clear for a moment. Use the toolbox or the extension when the content must never reach the server readable.',
  },
};

const who = (readers: SentLink['readers'], language: Language) =>
  readers === '*' ? words[language].anyone : readers.map((reader) => (reader === '*' ? words[language].anyone : reader.replace(/^se-pnr:/, ''))).join(', ');

export function confirmation(errand: string, lines: ConfirmationLine[], withLinks: boolean, language: Language): { subject: string; text: string } {
  const w = words[language];
  const body = lines.map(({ link, accepted }, i) => {
    const state = accepted ? (link.link ? w.sent : w.earlier) : `${w.failed} (${link.error?.code ?? 'failed'})`;
    const head = `${i + 1}. ${link.channel === 'sms' ? w.sms : w.email} ${link.to.join(', ')}: ${state}. ${w.readers}: ${who(link.readers, language)}.`;
    return withLinks && link.link ? `${head}\n   ${w.link}: ${link.link}` : head;
  });
  return { subject: w.subject(errand), text: [w.intro(errand), '', ...body, '', w.follow, '', w.notE2e, ''].join('\n') };
}
