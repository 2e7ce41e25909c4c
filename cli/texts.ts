/**
 * What the CLI itself says, in English and Swedish (language.ts picks). Error messages
 * from the server and client/ stay as they come; their codes are stable in both.
 *
 * @example
 * texts[language].signedOut
 */
import type { Language } from './language.js';

export interface Texts {
  tokenPrompt: string;
  tokenMissing: string;
  signedIn(server: string, sender: string, folder: string): string;
  signedOut: string;
  uploading: string;
  resuming(messageId: string): string;
  /** `sigill status` of the message whose send stopped on this device. */
  sendStopped: string;
  abandoned(messageId: string): string;
  abandonedOffline(messageId: string): string;
  typeText: string;
  sent(messageId: string, expiresAt: string): string;
  anyone: string;
  smsSent: string;
  smsFailed(code: string): string;
  handOver: string;
  emailSent: string;
  emailFailed(code: string): string;
  /** The server has no SMTP (email_not_configured). */
  noServerEmail: string;
  emailFailedText(to: string): string;
  emailText(to: string): string;
  smsText(to: string): string;
  revoked(messageId: string): string;
  exported(file: string): string;
  imported: string;
  noMessages: string;
  unknownRecipient: string;
  unknownErrand: string;
  deliveries: string;
  deliveryState: Record<'pending' | 'sent' | 'delayed' | 'delivered' | 'interrupted', string>;
  deliveryFailed(reason: string): string;
  /** A failed delivery whose label carries no link this device can open: only sending again helps. */
  sendAgain: string;
  /** A failed or interrupted delivery that `sigill resend` relays again (the link is in the sealed label). */
  resendWith(command: string): string;
  resent(to: string, result: string): string;
  columns: { recipient: string; readers: string; result: string; delivered: string; opened: string; verification: string; read: string; denied: string };
  readBy(name: string, at: string): string;
  unreadableReceipts(count: number): string;
  state: Record<'uploading' | 'ready' | 'revoked' | 'expired', string>;
  created: string;
  expires: string;
  attachments: string;
  error: string;
  signInAgain: string;
  seeHelp(command: string): string;
}

export const texts: Record<Language, Texts> = {
  en: {
    tokenPrompt: 'API token (not shown as you type): ',
    tokenMissing: 'no token was given: type it when asked, or pipe it in (sigill login --server URL < token-file)',
    signedIn: (server, sender, folder) => `Signed in to ${server} as ${sender}. The token is kept in ${folder}.`,
    signedOut: 'Signed out: the token is gone from this device.',
    uploading: 'Uploading',
    sendStopped: 'its send stopped on this device: sigill send --resume goes on with it, sigill send --abandon gives it up',
    resuming: (messageId) => `Resuming the send of message ${messageId}: only what the server lacks is sent.`,
    abandoned: (messageId) => `The send of message ${messageId} is abandoned: the server deleted what it held, and the resume file is gone.`,
    abandonedOffline: (messageId) =>
      `The send of message ${messageId} is abandoned: the resume file is gone. The server could not be asked to delete what it holds; it is never shown to anyone and is deleted when it expires.`,
    typeText: 'Type the message text, then Ctrl-D on a line of its own:\n',
    sent: (messageId, expiresAt) => `Message ${messageId} sent; its links work until ${expiresAt}.`,
    anyone: 'anyone with BankID',
    smsSent: 'SMS sent',
    smsFailed: (code) => `SMS failed (${code}); pass the link on another way`,
    handOver: 'pass the link on',
    emailSent: 'email sent',
    emailFailed: (code) => `email failed (${code}); pass the link on another way`,
    noServerEmail: 'pass the link on: the server sends no email (no SMTP)',
    emailFailedText: (to) => `Email to ${to} could not be sent — pass this text on:`,
    emailText: (to) => `Email to ${to} — send this text:`,
    smsText: (to) => `SMS to ${to} could not be sent — pass this text on:`,
    revoked: (messageId) => `Message ${messageId} revoked: its links answer "revoked" and its ciphertext is deleted.`,
    exported: (file) => `Receipt keys written to ${file} (readable only by you). Keep it like a password.`,
    imported: 'Receipt keys imported: this device now opens the receipts and recipient labels of messages sent with them.',
    noMessages: 'No messages yet.',
    unknownRecipient: '(unknown: sent with receipt keys this device lacks)',
    unknownErrand: '(errand sealed with receipt keys this device lacks)',
    deliveries: 'Deliveries:',
    deliveryState: { pending: 'being handed over', sent: 'sent', delayed: 'delayed', delivered: 'delivered', interrupted: 'interrupted (the server restarted while handing it over)' },
    deliveryFailed: (reason) => `failed (${reason})`,
    sendAgain: 'not delivered: send the message again (sigill send); this device cannot open its link (receipt keys missing, or sent before labels carried links)',
    resendWith: (command) => `not delivered: resend it with ${command}`,
    resent: (to, result) => `Resent to ${to}: ${result}.`,
    columns: { recipient: 'RECIPIENT', readers: 'MAY READ', result: 'WHAT HAPPENED', delivered: 'DELIVERED', opened: 'OPENED', verification: 'VERIFICATION STARTED', read: 'READ', denied: 'DENIED' },
    readBy: (name, at) => `read by ${name} ${at}`,
    unreadableReceipts: (count) => `${count} receipt(s) this device cannot open`,
    state: { uploading: 'uploading', ready: 'ready', revoked: 'revoked', expired: 'expired' },
    created: 'created',
    expires: 'expires',
    attachments: 'attachments',
    error: 'error',
    signInAgain: '; sign in again: sigill login --server URL',
    seeHelp: (command) => `See "sigill ${command}--help".`,
  },
  sv: {
    tokenPrompt: 'API-nyckel (visas inte när du skriver): ',
    tokenMissing: 'ingen nyckel angavs: skriv in den när den efterfrågas, eller skicka in den (sigill login --server URL < nyckelfil)',
    signedIn: (server, sender, folder) => `Inloggad på ${server} som ${sender}. Nyckeln sparas i ${folder}.`,
    signedOut: 'Utloggad: nyckeln är borttagen från den här enheten.',
    uploading: 'Laddar upp',
    sendStopped: 'sändningen stannade på den här enheten: sigill send --resume fortsätter den, sigill send --abandon ger upp den',
    resuming: (messageId) => `Fortsätter sändningen av meddelande ${messageId}: bara det som servern saknar skickas.`,
    abandoned: (messageId) => `Sändningen av meddelande ${messageId} är avbruten: servern raderade det den hade, och återupptagningsfilen är borta.`,
    abandonedOffline: (messageId) =>
      `Sändningen av meddelande ${messageId} är avbruten: återupptagningsfilen är borta. Servern gick inte att be radera det den har; det visas aldrig för någon och raderas när det går ut.`,
    typeText: 'Skriv meddelandets text och tryck sedan Ctrl-D på en egen rad:\n',
    sent: (messageId, expiresAt) => `Meddelande ${messageId} skickat; länkarna fungerar till ${expiresAt}.`,
    anyone: 'alla med BankID',
    smsSent: 'sms skickat',
    smsFailed: (code) => `sms misslyckades (${code}); lämna länken på annat sätt`,
    handOver: 'lämna länken vidare',
    emailSent: 'e-post skickat',
    emailFailed: (code) => `e-posten misslyckades (${code}); lämna länken på annat sätt`,
    noServerEmail: 'lämna länken vidare: servern skickar ingen e-post (ingen SMTP)',
    emailFailedText: (to) => `E-posten till ${to} kunde inte skickas — lämna den här texten vidare:`,
    emailText: (to) => `E-post till ${to} — skicka den här texten:`,
    smsText: (to) => `Sms:et till ${to} kunde inte skickas — lämna den här texten vidare:`,
    revoked: (messageId) => `Meddelande ${messageId} återkallat: länkarna svarar "återkallat" och chiffertexten är raderad.`,
    exported: (file) => `Kvittonycklarna skrivna till ${file} (läsbar bara för dig). Förvara den som ett lösenord.`,
    imported: 'Kvittonycklarna importerade: den här enheten öppnar nu kvitton och mottagaretiketter för meddelanden som skickats med dem.',
    noMessages: 'Inga meddelanden än.',
    unknownRecipient: '(okänd: skickad med kvittonycklar som den här enheten saknar)',
    unknownErrand: '(ärendet är förseglat med kvittonycklar som den här enheten saknar)',
    deliveries: 'Leveranser:',
    deliveryState: { pending: 'lämnas över', sent: 'skickat', delayed: 'försenat', delivered: 'levererat', interrupted: 'avbrutet (servern startade om under överlämningen)' },
    deliveryFailed: (reason) => `misslyckades (${reason})`,
    sendAgain: 'inte levererat: skicka meddelandet igen (sigill send); den här enheten kan inte öppna länken (kvittonycklar saknas, eller skickat innan etiketterna bar länken)',
    resendWith: (command) => `inte levererat: skicka om med ${command}`,
    resent: (to, result) => `Omskickat till ${to}: ${result}.`,
    columns: { recipient: 'MOTTAGARE', readers: 'FÅR LÄSA', result: 'RESULTAT', delivered: 'LEVERERAD', opened: 'ÖPPNAD', verification: 'LEGITIMERING PÅBÖRJAD', read: 'LÄST', denied: 'NEKADE' },
    readBy: (name, at) => `läst av ${name} ${at}`,
    unreadableReceipts: (count) => `${count} kvitto(n) som den här enheten inte kan öppna`,
    state: { uploading: 'laddas upp', ready: 'klart', revoked: 'återkallat', expired: 'utgånget' },
    created: 'skapat',
    expires: 'går ut',
    attachments: 'bilagor',
    error: 'fel',
    signInAgain: '; logga in igen: sigill login --server URL',
    seeHelp: (command) => `Se "sigill ${command}--help".`,
  },
};
