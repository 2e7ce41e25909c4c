import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { DNSResolver } from 'mailauth';
import { AddressError, type RecipientAddress } from '../shared/address.js';
import type { Fetch } from '../client/http.js';
import { gatewayRecipient } from './addresses.js';
import { checkSender } from './authenticate.js';
import { deliverMail } from './deliver.js';
import { MailRefused, parseMail } from './mail.js';
import type { GatewayProcessSettings } from './settings.js';
import { tlsOf } from './tls.js';

/**
 * The gateway's SMTP (or LMTP) listener: `smtp-server` with STARTTLS, required of every
 * client that is not on loopback. Recipients are checked at RCPT TO; the mail is read
 * into memory (never spooled), checked (DMARC, then the sender on the server), sealed
 * and sent, and only then answered 250. Nothing of a mail (body, subject, address,
 * identity) is logged: a line says what happened and with which reply code.
 */
export interface GatewayDeps {
  resolver?: DNSResolver;
  fetch?: Fetch;
  log?: (line: Record<string, unknown>) => void;
}

export interface Gateway {
  listen(): Promise<number>;
  close(): Promise<void>;
}

const maxRecipients = 100;
const isLoopback = (ip: string) => ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

export function createGateway(settings: GatewayProcessSettings, deps: GatewayDeps = {}): Gateway {
  const log = deps.log ?? ((line) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`));
  const recipients = new WeakMap<SMTPServerSession['envelope'], RecipientAddress[]>();
  const domains = { sms: settings.smsDomain, mail: settings.mailDomain };
  const server = new SMTPServer({
    ...tlsOf(settings),
    name: settings.hostname,
    banner: 'Sigill mail gateway (not end-to-end encrypted: see the toolbox)',
    lmtp: settings.lmtp,
    size: settings.maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onMailFrom(_address, session, callback) {
      if (!session.secure && !isLoopback(session.remoteAddress)) return callback(smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
      callback();
    },
    onRcptTo(address, session, callback) {
      try {
        const recipient = gatewayRecipient(address.address, domains);
        if (!recipient) return callback(smtpError(550, '5.1.2 not a Sigill gateway address'));
        const list = recipients.get(session.envelope) ?? [];
        if (list.length >= maxRecipients) return callback(smtpError(452, '4.5.3 too many recipients in one mail'));
        if (list.some((other) => other.channel === recipient.channel && other.address === recipient.address)) return callback(smtpError(550, '5.1.3 this recipient is in the mail twice'));
        recipients.set(session.envelope, [...list, recipient]);
        callback();
      } catch (error) {
        const reason = error instanceof AddressError ? (error.problems[0]?.reason ?? 'not a valid gateway address') : 'not a valid gateway address';
        callback(smtpError(550, `5.1.3 ${reason}`));
      }
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          log({ event: 'gateway_mail', code: 552 });
          return callback(smtpError(552, '5.3.4 the mail is larger than the gateway takes'));
        }
        const raw = Buffer.concat(chunks);
        chunks.length = 0;
        handle(raw, session).then(
          (message) => {
            log({ event: 'gateway_mail', code: 250, recipients: recipients.get(session.envelope)?.length ?? 0 });
            callback(null, message);
          },
          (error: unknown) => {
            const refused = error instanceof MailRefused ? error : new MailRefused(451, '4.3.0 the gateway failed; try again later');
            log({ event: 'gateway_mail', code: refused.responseCode, ...(error instanceof MailRefused ? {} : { error: (error as Error)?.name }) });
            callback(smtpError(refused.responseCode, refused.message));
          },
        );
      });
    },
  });

  async function handle(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const list = recipients.get(session.envelope) ?? [];
    if (list.length === 0) throw new MailRefused(554, '5.5.1 no valid recipients');
    const mail = await parseMail(raw);
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    await checkSender(raw, {
      ip: session.remoteAddress,
      helo: session.hostNameAppearsAs,
      envelopeFrom,
      from: mail.from,
      mta: settings.hostname,
      ...(deps.resolver ? { resolver: deps.resolver } : {}),
    });
    return deliverMail({ serverUrl: settings.serverUrl, key: settings.key, language: settings.language, ...(deps.fetch ? { fetch: deps.fetch } : {}) }, list, mail);
  }

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(settings.port, settings.host, () => {
          server.off('error', reject);
          const address = server.server.address();
          resolve(typeof address === 'object' && address ? address.port : settings.port);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
