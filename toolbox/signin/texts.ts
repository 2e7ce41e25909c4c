/**
 * The sign-in module's texts, Swedish and English. The app's own texts (toolbox/texts.ts)
 * include these; BankID's hint messages come from shared/bankid/user-messages.ts.
 *
 * @example
 * mountSignIn(root, signInTexts.sv, onSignedIn);
 */
export interface SignInTexts {
  language: 'sv' | 'en';
  heading: string;
  signInWithBankId: string;
  qrLabel: string;
  openOnThisDevice: string;
  cancel: string;
  signInWithPasskey: string;
  unknownUser: string;
  passkeyFailed: string;
  offerPasskey: string;
  offerPasskeyWhy: string;
  passkeyName: string;
  registerPasskey: string;
  notNow: string;
  passkeyRegistered: string;
  passkeyWithoutPrf: string;
  signOut: string;
  failed: string;
  /** The server's 429 on a BankID start (too many from this address). */
  tooManyAttempts: string;
}

export const signInTexts: Record<'sv' | 'en', SignInTexts> = {
  sv: {
    language: 'sv',
    heading: 'Logga in i Sigill',
    signInWithBankId: 'Logga in med BankID',
    qrLabel: 'QR-kod att skanna med BankID-appen',
    openOnThisDevice: 'Öppna BankID på den här enheten',
    cancel: 'Avbryt',
    signInWithPasskey: 'Logga in med nyckel (passkey)',
    unknownUser: 'Du är inte användare hos någon avsändare i Sigill. Be en administratör lägga till dig.',
    passkeyFailed: 'Inloggningen med nyckeln misslyckades. Försök igen eller logga in med BankID.',
    offerPasskey: 'Logga in snabbare nästa gång',
    offerPasskeyWhy: 'Spara en nyckel (passkey) på den här enheten. Med den öppnas dina läskvitton också på andra enheter där nyckeln finns.',
    passkeyName: 'Namn på nyckeln',
    registerPasskey: 'Spara nyckel',
    notNow: 'Inte nu',
    passkeyRegistered: 'Nyckeln är sparad.',
    passkeyWithoutPrf: 'Nyckeln är sparad, men den kan inte skydda dina läskvitton. Spara en säkerhetskopia av kvittonyckeln för att öppna kvitton på andra enheter.',
    signOut: 'Logga ut',
    failed: 'Något gick fel. Försök igen.',
    tooManyAttempts: 'För många inloggningar med BankID har startats härifrån. Vänta några minuter och försök igen.',
  },
  en: {
    language: 'en',
    heading: 'Sign in to Sigill',
    signInWithBankId: 'Sign in with BankID',
    qrLabel: 'QR code to scan with the BankID app',
    openOnThisDevice: 'Open BankID on this device',
    cancel: 'Cancel',
    signInWithPasskey: 'Sign in with a passkey',
    unknownUser: 'You are not a user of any sender in Sigill. Ask an administrator to add you.',
    passkeyFailed: 'Signing in with the passkey failed. Try again or sign in with BankID.',
    offerPasskey: 'Sign in faster next time',
    offerPasskeyWhy: 'Save a passkey on this device. With it your read receipts also open on other devices that have the passkey.',
    passkeyName: 'Name of the passkey',
    registerPasskey: 'Save passkey',
    notNow: 'Not now',
    passkeyRegistered: 'The passkey is saved.',
    passkeyWithoutPrf: 'The passkey is saved, but it cannot protect your read receipts. Save a backup of the receipt key to open receipts on other devices.',
    signOut: 'Sign out',
    failed: 'Something went wrong. Try again.',
    tooManyAttempts: 'Too many BankID sign-ins were started from here. Wait a few minutes and try again.',
  },
};
