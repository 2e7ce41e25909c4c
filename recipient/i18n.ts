/**
 * The page's words, in Swedish (the default) and English (for browsers that prefer
 * English over Swedish). BankID's own messages come from `bankid.ts`.
 *
 * @example
 * const { text, language } = chooseLanguage(navigator.languages);
 * text.from('Bostadsbolaget') // 'Från Bostadsbolaget'
 */
export type Language = 'sv' | 'en';

export interface ProblemText {
  title: string;
  text: string;
  next: string;
}

const sv = {
  pageTitle: 'Säkert meddelande',
  skip: 'Till innehållet',
  loading: 'Öppnar meddelandet …',
  footer: 'Meddelandet är krypterat från avsändaren till dig. Nyckeln finns bara i din länk, inte hos oss.',
  secureMessageFrom: 'Säkert meddelande från',
  errand: 'Ärende',
  readableUntil: (date: string) => `Kan läsas till och med ${date}.`,
  identifyHeading: 'Identifiera dig för att läsa',
  identifyIntro: 'Bara den som avsändaren har valt kan öppna meddelandet. Identifiera dig med BankID.',
  personalNumberLabel: 'Personnummer (frivilligt)',
  personalNumberHint: 'ÅÅÅÅMMDD-NNNN. Fyll i om bara ditt BankID ska kunna användas.',
  personalNumberValid: 'Personnumret ser rätt ut.',
  personalNumberFormat: 'Skriv 10 eller 12 siffror, till exempel 19800101-1234.',
  personalNumberChecksum: 'Sista siffran stämmer inte. Kontrollera siffrorna.',
  personalNumberDate: 'Datumet i personnumret finns inte.',
  sameDevice: 'Öppna BankID på den här enheten',
  otherDevice: 'BankID på en annan enhet',
  qrHeading: 'Skanna QR-koden med BankID-appen',
  qrSteps: 'Öppna BankID-appen på din mobil eller surfplatta, tryck på Skanna QR-kod och rikta kameran mot koden.',
  qrLabel: 'QR-kod för BankID. Den byts varje sekund. Skanna den med BankID-appen på en annan enhet.',
  launchHeading: 'Identifiera dig i BankID-appen',
  launchHint: 'Öppnades inte appen? Tryck på knappen.',
  cancel: 'Avbryt',
  tryAgain: 'Försök igen',
  starting: 'Startar BankID …',
  approvedAs: (name: string) => `Identifierad som ${name}.`,
  decrypting: 'Hämtar och dekrypterar meddelandet …',
  messageHeading: 'Meddelande',
  htmlFrameTitle: 'Meddelandets innehåll',
  attachmentsHeading: 'Bilagor',
  download: 'Ladda ner',
  downloadLabel: (name: string) => `Ladda ner ${name}`,
  downloading: 'Laddar ner och dekrypterar …',
  saved: 'Sparad.',
  downloadFailed: 'Nedladdningen misslyckades. Försök igen.',
  downloadResuming: 'Anslutningen bröts. Fortsätter där nedladdningen stannade …',
  downloadInterrupted: 'Anslutningen bröts och nedladdningen kunde inte slutföras. Filen är inte hel. Kontrollera anslutningen och försök igen.',
  downloadCancelled: 'Nedladdningen avbröts.',
  attachmentTampered: 'Bilagan har ändrats eller skadats efter att den skickades. Nedladdningen stoppades och filen sparades inte. Kontakta avsändaren.',
  identifyAgainToDownload: 'Din identifiering har gått ut. Ladda om sidan från länken i sms:et eller mejlet och identifiera dig igen.',
  readDone: 'Spara bilagorna innan du stänger sidan.',
  stillTrying: 'Ingen kontakt med servern just nu. Försöker igen …',
  tooMany: 'För många försök. Vänta några minuter och försök igen.',
  verificationExpired: 'Identifieringen tog för lång tid. Börja om.',
  problems: {
    linkNotFound: {
      title: 'Meddelandet finns inte',
      text: 'Det finns inget meddelande på den här länken.',
      next: 'Kontrollera att du öppnade hela länken från sms:et eller mejlet. Hjälper det inte, kontakta avsändaren.',
    },
    linkExpired: {
      title: 'Meddelandet har gått ut',
      text: 'Tiden som avsändaren gav meddelandet har passerat, och det går inte längre att läsa.',
      next: 'Be avsändaren skicka det igen.',
    },
    linkRevoked: {
      title: 'Meddelandet är återkallat',
      text: 'Avsändaren har dragit tillbaka meddelandet.',
      next: 'Kontakta avsändaren om du fortfarande behöver det.',
    },
    linkExhausted: {
      title: 'Meddelandet har redan lästs',
      text: 'Meddelandet har öppnats så många gånger som avsändaren tillät.',
      next: 'Be avsändaren skicka det igen om du behöver läsa det en gång till.',
    },
    secretMissing: {
      title: 'Länken är inte hel',
      text: 'Sista delen av länken, efter #, saknas. Den behövs för att låsa upp meddelandet.',
      next: 'Öppna länken igen direkt från sms:et eller mejlet. Om du kopierar den, ta med hela länken.',
    },
    secretDamaged: {
      title: 'Länken är skadad',
      text: 'Länken har ändrats eller klippts av, så meddelandet går inte att låsa upp.',
      next: 'Öppna länken igen direkt från sms:et eller mejlet. Om du kopierar den, ta med hela länken.',
    },
    network: {
      title: 'Ingen kontakt med servern',
      text: 'Sidan kunde inte nå tjänsten. Det beror oftast på internetanslutningen.',
      next: 'Kontrollera anslutningen och försök igen.',
    },
    denied: {
      title: 'Meddelandet är inte till dig',
      text: 'Du identifierade dig med ett BankID som inte får läsa det här meddelandet. Avsändaren ser att någon försökte öppna det.',
      next: 'Har du fått länken av misstag kan du stänga sidan. Tror du att det är fel, kontakta avsändaren.',
    },
    unreadable: {
      title: 'Meddelandet gick inte att öppna',
      text: 'Innehållet kunde inte dekrypteras. Det kan ha skadats på vägen.',
      next: 'Försök igen. Hjälper det inte, kontakta avsändaren.',
    },
  } satisfies Record<string, ProblemText>,
  identifyWithAnother: 'Identifiera dig med ett annat BankID',
};

export type Text = typeof sv;
export type ProblemKind = keyof Text['problems'];

const en: Text = {
  pageTitle: 'Secure message',
  skip: 'Skip to content',
  loading: 'Opening the message …',
  footer: 'The message is encrypted from the sender to you. The key is only in your link, never with us.',
  secureMessageFrom: 'Secure message from',
  errand: 'Subject',
  readableUntil: (date) => `Can be read until ${date}.`,
  identifyHeading: 'Identify yourself to read it',
  identifyIntro: 'Only the person the sender chose can open this message. Identify yourself with BankID.',
  personalNumberLabel: 'Personal identity number (optional)',
  personalNumberHint: 'YYYYMMDD-NNNN. Fill it in if only your BankID should be accepted.',
  personalNumberValid: 'The number looks right.',
  personalNumberFormat: 'Type 10 or 12 digits, for example 19800101-1234.',
  personalNumberChecksum: 'The last digit does not match. Check the digits.',
  personalNumberDate: 'The date in the number does not exist.',
  sameDevice: 'Open BankID on this device',
  otherDevice: 'BankID on another device',
  qrHeading: 'Scan the QR code with the BankID app',
  qrSteps: 'Open the BankID app on your phone or tablet, tap Scan QR code and point the camera at the code.',
  qrLabel: 'QR code for BankID. It changes every second. Scan it with the BankID app on another device.',
  launchHeading: 'Identify yourself in the BankID app',
  launchHint: 'Did the app not open? Tap the button.',
  cancel: 'Cancel',
  tryAgain: 'Try again',
  starting: 'Starting BankID …',
  approvedAs: (name) => `Identified as ${name}.`,
  decrypting: 'Fetching and decrypting the message …',
  messageHeading: 'Message',
  htmlFrameTitle: 'The message content',
  attachmentsHeading: 'Attachments',
  download: 'Download',
  downloadLabel: (name) => `Download ${name}`,
  downloading: 'Downloading and decrypting …',
  saved: 'Saved.',
  downloadFailed: 'The download failed. Please try again.',
  downloadResuming: 'The connection broke. Continuing where the download stopped …',
  downloadInterrupted: 'The connection broke and the download could not be finished. The file is not complete. Check your connection and try again.',
  downloadCancelled: 'The download was cancelled.',
  attachmentTampered: 'The attachment was changed or damaged after it was sent. The download was stopped and the file was not saved. Contact the sender.',
  identifyAgainToDownload: 'Your identification has expired. Open the link from the SMS or email again and identify yourself.',
  readDone: 'Save the attachments before you close this page.',
  stillTrying: 'No contact with the server right now. Trying again …',
  tooMany: 'Too many attempts. Wait a few minutes and try again.',
  verificationExpired: 'The identification took too long. Please start again.',
  problems: {
    linkNotFound: {
      title: 'There is no such message',
      text: 'There is no message at this link.',
      next: 'Check that you opened the whole link from the SMS or email. If that does not help, contact the sender.',
    },
    linkExpired: {
      title: 'The message has expired',
      text: 'The time the sender gave this message has passed, and it can no longer be read.',
      next: 'Ask the sender to send it again.',
    },
    linkRevoked: {
      title: 'The message was withdrawn',
      text: 'The sender has withdrawn this message.',
      next: 'Contact the sender if you still need it.',
    },
    linkExhausted: {
      title: 'The message has already been read',
      text: 'The message has been opened as many times as the sender allowed.',
      next: 'Ask the sender to send it again if you need to read it once more.',
    },
    secretMissing: {
      title: 'The link is incomplete',
      text: 'The last part of the link, after #, is missing. It is needed to unlock the message.',
      next: 'Open the link again straight from the SMS or email. If you copy it, copy all of it.',
    },
    secretDamaged: {
      title: 'The link is damaged',
      text: 'The link was changed or cut, so the message cannot be unlocked.',
      next: 'Open the link again straight from the SMS or email. If you copy it, copy all of it.',
    },
    network: {
      title: 'No contact with the server',
      text: 'The page could not reach the service. This is usually the internet connection.',
      next: 'Check your connection and try again.',
    },
    denied: {
      title: 'This message is not for you',
      text: 'You identified yourself with a BankID that may not read this message. The sender will see that someone tried to open it.',
      next: 'If you got the link by mistake, you can close this page. If you think this is wrong, contact the sender.',
    },
    unreadable: {
      title: 'The message could not be opened',
      text: 'The content could not be decrypted. It may have been damaged on the way.',
      next: 'Try again. If that does not help, contact the sender.',
    },
  },
  identifyWithAnother: 'Identify with another BankID',
};

/** Swedish unless the browser prefers English to Swedish. */
export function chooseLanguage(preferred: readonly string[]): { language: Language; text: Text } {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'sv') return { language: 'sv', text: sv };
    if (primary === 'en') return { language: 'en', text: en };
  }
  return { language: 'sv', text: sv };
}

export function formatDate(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}
