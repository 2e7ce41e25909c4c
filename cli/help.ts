/**
 * `sigill --help` and each command's `--help`, in English and Swedish.
 *
 * @example
 * helpText('send', 'en')
 */
import type { Language } from './language.js';

export type CommandName = 'login' | 'logout' | 'send' | 'status' | 'resend' | 'revoke' | 'keys';

const overview: Record<Language, string> = {
  en: `sigill — send secure messages that are opened with BankID

Usage: sigill <command> [options]

Commands:
  login --server URL     sign in with an API token (typed when asked, or on standard input)
  logout                 forget the token on this device
  send --to … --errand … (--text-file FILE | --text -) [--attach FILE]…
                         seal a message here and send it
  send --resume | --abandon
                         go on with a send that stopped, or give it up
  status [MESSAGE]       who each link went to, delivered, opened, read by whom, denied attempts
  resend MESSAGE RECIPIENT
                         send a failed or interrupted SMS or email again
  revoke MESSAGE         revoke a message: every link answers "revoked" at once
  keys export FILE       back up the receipt keys (to read receipts on another device)
  keys import FILE       take the receipt keys from a backup file

Options for every command:
  --config DIR           the folder for the sign-in, keys and sent log
                         (default $SIGILL_CONFIG_DIR, else $XDG_CONFIG_HOME/sigill, else ~/.config/sigill)
  -h, --help             help for the command

SIGILL_SERVER and SIGILL_TOKEN override the stored sign-in.
Exit codes: 0 success, 1 failure, 2 usage. "sigill <command> --help" for more.
`,
  sv: `sigill — skicka säkra meddelanden som öppnas med BankID

Användning: sigill <kommando> [flaggor]

Kommandon:
  login --server URL     logga in med en API-nyckel (skrivs in när den efterfrågas, eller på standard in)
  logout                 glöm nyckeln på den här enheten
  send --to … --errand … (--text-file FIL | --text -) [--attach FIL]…
                         försegla ett meddelande här och skicka det
  send --resume | --abandon
                         fortsätt en sändning som stannade, eller ge upp den
  status [MEDDELANDE]    vem varje länk gick till, levererad, öppnad, läst av vem, nekade försök
  resend MEDDELANDE MOTTAGARE
                         skicka om ett misslyckat eller avbrutet sms eller e-postmeddelande
  revoke MEDDELANDE      återkalla ett meddelande: alla länkar slutar fungera direkt
  keys export FIL        säkerhetskopiera kvittonycklarna (för att läsa kvitton på en annan enhet)
  keys import FIL        hämta kvittonycklarna från en säkerhetskopia

Flaggor för alla kommandon:
  --config MAPP          mappen för inloggning, nycklar och skickade meddelanden
                         (förval $SIGILL_CONFIG_DIR, annars $XDG_CONFIG_HOME/sigill, annars ~/.config/sigill)
  -h, --help             hjälp för kommandot

SIGILL_SERVER och SIGILL_TOKEN går före den sparade inloggningen.
Slutkoder: 0 lyckades, 1 misslyckades, 2 fel användning. "sigill <kommando> --help" för mer.
`,
};

const commands: Record<CommandName, Record<Language, string>> = {
  login: {
    en: `Usage: sigill login --server URL

Signs in to a Sigill server. The API token (from "npm start" on the first start, or
"npm run admin -- create-token --sender <id>") is typed when asked, without echo, or
read from standard input:  sigill login --server URL < token-file
It is never taken from an argument. It is kept in the config folder, readable only by you.
`,
    sv: `Användning: sigill login --server URL

Loggar in på en Sigill-server. API-nyckeln (från "npm start" första gången, eller
"npm run admin -- create-token --sender <id>") skrivs in när den efterfrågas, utan eko,
eller läses från standard in:  sigill login --server URL < nyckelfil
Den tas aldrig från ett argument. Den sparas i konfigurationsmappen, läsbar bara för dig.
`,
  },
  logout: {
    en: 'Usage: sigill logout\n\nForgets the stored API token. The receipt keys stay (export them first if you remove the folder).\n',
    sv: 'Användning: sigill logout\n\nGlömmer den sparade API-nyckeln. Kvittonycklarna ligger kvar (exportera dem innan du tar bort mappen).\n',
  },
  send: {
    en: `Usage: sigill send --to RECIPIENTS --errand TEXT (--text-file FILE | --text -) [options]
       sigill send --resume | --abandon

  --to RECIPIENTS    phone numbers and email addresses, separated by commas, each with
                     who may read: 0701234567&login=198001011234, anna@example.se?login=*
                     login= takes a personal identity number, its first 4–11 digits and *
                     (19800101*), or * for anyone who passes BankID; repeat it for more.
  --errand TEXT      what the message is about; shown before BankID and written in the
                     SMS and email, so it must not hold the secret part
  --text-file FILE   the message text (the secret part), from a file
  --text -           the message text from standard input (never from an argument)
  --attach FILE      an attachment; repeat for more
  --expires TIME     how long the links work: 30m, 12h, 7d, 2w (default: the server's)
  --read-limit N     how many times each link may be read
  --lang sv|en       the language of the SMS and email text (default: yours)
  --json             print one JSON document instead of the summary

SMS recipients get their SMS from the server, and email recipients their email (each its
own link) when the server has SMTP; otherwise, and for any that failed, the text with the
link is printed for you to pass on. Links go to standard output only; they are never stored.

Attachments go up in chunks, with progress on standard error. A send that stopped (killed,
Ctrl-C, a lost connection) after the message was created is kept in a resume file in the
config folder (readable only by you; it holds the message secret, never a link):
  --resume           go on with it: only the chunks the server lacks are sent, from the
                     same files (a file changed since is refused), then the links go out
  --abandon          give it up: the server deletes what it holds, the resume file goes
`,
    sv: `Användning: sigill send --to MOTTAGARE --errand TEXT (--text-file FIL | --text -) [flaggor]
             sigill send --resume | --abandon

  --to MOTTAGARE     telefonnummer och e-postadresser, åtskilda med kommatecken, var och en
                     med vem som får läsa: 0701234567&login=198001011234, anna@example.se?login=*
                     login= tar ett personnummer, dess första 4–11 siffror och * (19800101*),
                     eller * för vem som helst som legitimerar sig med BankID; upprepa för fler.
  --errand TEXT      vad meddelandet gäller; visas före BankID och står i sms:et och
                     e-postmeddelandet, så det får inte innehålla den hemliga delen
  --text-file FIL    meddelandets text (den hemliga delen), från en fil
  --text -           meddelandets text från standard in (aldrig från ett argument)
  --attach FIL       en bilaga; upprepa för fler
  --expires TID      hur länge länkarna fungerar: 30m, 12h, 7d, 2w (förval: serverns)
  --read-limit N     hur många gånger varje länk får läsas
  --lang sv|en       språket i sms- och e-posttexten (förval: ditt)
  --json             skriv ett JSON-dokument i stället för sammanfattningen

Sms-mottagare får sitt sms från servern, och e-postmottagare sitt e-postmeddelande (var
och en med egen länk) när servern har SMTP; annars, och för dem som misslyckades, skrivs
texten med länken ut så att du kan skicka den vidare. Länkar skrivs bara till standard ut;
de sparas aldrig.

Bilagor laddas upp i delar, med förlopp på standard fel. En sändning som stannade (dödad,
Ctrl-C, förlorad anslutning) efter att meddelandet skapats sparas i en återupptagningsfil i
konfigurationsmappen (läsbar bara för dig; den innehåller meddelandets hemlighet, aldrig
en länk):
  --resume           fortsätt: bara de delar som servern saknar skickas, från samma filer
                     (en fil som ändrats sedan dess vägras), sedan skickas länkarna
  --abandon          ge upp: servern raderar det den har, återupptagningsfilen tas bort
`,
  },
  status: {
    en: `Usage: sigill status [MESSAGE] [--json]

Without MESSAGE: every message of this sender, newest first. With it: that message.
Per recipient: channel and address, delivered, opened, verification started,
"read by <name>" and when (from the receipts sealed to you), denied attempts.
Then each delivery the server relayed: channel, masked address, state (sent, delivered,
delayed, failed with its reason, interrupted) and time; for a failed or interrupted one,
the "sigill resend" command that sends it again.
Addresses and names need the receipt keys that sent the message (sigill keys import).
`,
    sv: `Användning: sigill status [MEDDELANDE] [--json]

Utan MEDDELANDE: alla meddelanden från den här avsändaren, nyast först. Med: det meddelandet.
Per mottagare: kanal och adress, levererad, öppnad, legitimering påbörjad,
"läst av <namn>" och när (ur kvittona som är förseglade till dig), nekade försök.
Sedan varje leverans som servern förmedlat: kanal, maskerad adress, läge (skickat,
levererat, försenat, misslyckat med orsak, avbrutet) och tid; för ett misslyckat eller
avbrutet, kommandot "sigill resend" som skickar om det.
Adresser och namn kräver kvittonycklarna som meddelandet skickades med (sigill keys import).
`,
  },
  resend: {
    en: `Usage: sigill resend MESSAGE RECIPIENT [--lang sv|en] [--json]

Sends a failed or interrupted SMS or email of MESSAGE again, with the same link.
RECIPIENT is the address as "sigill status" shows it (any way of writing the number),
or the link id from "sigill status MESSAGE --json". The link is opened from the label
sealed to your receipt keys; it was never stored on this device. A delivery that was
sent, delivered or is still being handed over is not sent twice.
  --lang sv|en       the language of the text (default: yours)
  --json             print one JSON document
`,
    sv: `Användning: sigill resend MEDDELANDE MOTTAGARE [--lang sv|en] [--json]

Skickar om ett misslyckat eller avbrutet sms eller e-postmeddelande för MEDDELANDE, med
samma länk. MOTTAGARE är adressen som "sigill status" visar den (numret skrivet hur som
helst), eller länk-id:t från "sigill status MEDDELANDE --json". Länken öppnas ur etiketten
som är förseglad till dina kvittonycklar; den har aldrig sparats på den här enheten. En
leverans som skickats, levererats eller fortfarande lämnas över skickas inte två gånger.
  --lang sv|en       språket i texten (förval: ditt)
  --json             skriv ett JSON-dokument
`,
  },
  revoke: {
    en: 'Usage: sigill revoke MESSAGE [--json]\n\nRevokes the message: its ciphertext is deleted and every link answers "revoked".\n',
    sv: 'Användning: sigill revoke MEDDELANDE [--json]\n\nÅterkallar meddelandet: chiffertexten raderas och alla länkar svarar "återkallat".\n',
  },
  keys: {
    en: `Usage: sigill keys export FILE [--force]
       sigill keys import FILE

The receipt keys open the read receipts and the recipient labels of the messages sent
with them. "export" writes them to FILE (readable only by you); "import" on another
device makes them its current keys and keeps the ones it had, so both devices show the
same names and addresses. Keep the file like a password. Export never replaces an
existing file unless --force is given.
`,
    sv: `Användning: sigill keys export FIL [--force]
             sigill keys import FIL

Kvittonycklarna öppnar läskvittona och mottagaretiketterna för meddelanden som skickats
med dem. "export" skriver dem till FIL (läsbar bara för dig); "import" på en annan enhet
gör dem till dess nuvarande nycklar och behåller de den hade, så att båda enheterna visar
samma namn och adresser. Förvara filen som ett lösenord. Export ersätter aldrig en
befintlig fil utan --force.
`,
  },
};

export function isCommandName(word: string): word is CommandName {
  return word in commands;
}

export function helpText(command: CommandName | undefined, language: Language): string {
  return command === undefined ? overview[language] : commands[command][language];
}
