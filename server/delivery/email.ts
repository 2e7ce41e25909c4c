import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { EmailSettings } from './email-config.js';
import { smtpOptionsOf } from './email-config.js';

/**
 * Email out through an SMTP relay (nodemailer). One call hands one message for one
 * recipient to the relay, once; retries, states and bounces live in ./email-relay.ts and
 * ./email-bounces.ts. The message's text carries a link: it is never logged, and errors
 * carry only SMTP codes.
 */
export interface EmailMessage {
  /** The recipient's address. */
  to: string;
  /** The sender's display name (From's address is SIGILL_MAIL_FROM). */
  fromName: string;
  /** The sender's own address, when it has one. */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** The VERP envelope sender, bounce+…@<bounce domain>. */
  envelopeFrom: string;
  /** ENVID for the DSN (the delivery id; public). */
  dsnId: string;
}

export interface EmailAccepted {
  /** The Message-ID header sent. */
  messageId: string;
}

export interface EmailTransport {
  readonly name: string;
  send(message: EmailMessage): Promise<EmailAccepted>;
  close(): void;
}

/**
 * The relay did not take the message. `transient` (no connection, a timeout, a 4xx) may
 * be retried; `rejected` (a 5xx, for the recipient or the message) never is.
 */
export class EmailSendError extends Error {
  constructor(
    readonly kind: 'transient' | 'rejected',
    readonly reason: 'provider_unavailable' | 'provider_timeout' | 'provider_rejected',
    /** The SMTP reply code (`550`), or null without one. */
    readonly providerError: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'EmailSendError';
  }
}

/** A nodemailer failure as an EmailSendError: the SMTP code only, never the reply's text (it may echo the address). */
export function emailSendErrorOf(error: unknown): EmailSendError {
  const { responseCode, code } = (error ?? {}) as { responseCode?: number; code?: string };
  // requireTLS and the relay offers no STARTTLS, or TLS failed: never sent in plaintext, not retried.
  if (code === 'ETLS') return new EmailSendError('rejected', 'provider_unavailable', responseCode ? String(responseCode) : null, 'the SMTP relay offers no working STARTTLS; nothing was sent in plaintext');
  if (typeof responseCode === 'number' && responseCode >= 500) {
    return new EmailSendError('rejected', 'provider_rejected', String(responseCode), `the SMTP relay refused the message (${responseCode})`);
  }
  if (typeof responseCode === 'number' && responseCode >= 400) {
    return new EmailSendError('transient', 'provider_unavailable', String(responseCode), `the SMTP relay deferred the message (${responseCode})`);
  }
  if (code === 'ETIMEDOUT') return new EmailSendError('transient', 'provider_timeout', null, 'the SMTP relay did not answer in time');
  return new EmailSendError('transient', 'provider_unavailable', null, `the SMTP relay could not be reached (${typeof code === 'string' ? code : 'error'})`);
}

export interface SmtpTransportOptions {
  settings: EmailSettings;
  /** Per connection step, in milliseconds. */
  timeoutMs?: number;
  /** The name given in EHLO (default the bounce domain). */
  clientName?: string;
}

export function createSmtpTransport({ settings, timeoutMs = 30_000, clientName }: SmtpTransportOptions): EmailTransport {
  const configError = (message: string) => new Error(message);
  const connection = smtpOptionsOf(settings.smtpUrl, configError);
  const ca = settings.caFile ? readFileSync(settings.caFile, 'utf8') : undefined;
  const dkim = settings.dkim
    ? { domainName: settings.dkim.domain, keySelector: settings.dkim.selector, privateKey: readFileSync(settings.dkim.keyFile, 'utf8') }
    : undefined;
  const transport = nodemailer.createTransport({
    ...connection,
    name: clientName ?? (settings.bounceDomain || 'localhost'),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { ...(ca ? { ca } : {}), servername: connection.host, minVersion: 'TLSv1.2' },
    ...(dkim ? { dkim } : {}),
    logger: false,
    debug: false,
  });
  const fromDomain = settings.from.split('@')[1] ?? 'localhost';
  return {
    name: 'smtp',
    async send(message) {
      const messageId = `<${crypto.randomUUID()}@${fromDomain}>`;
      try {
        const info = await transport.sendMail({
          from: { name: message.fromName, address: settings.from },
          to: message.to,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          date: new Date(),
          envelope: { from: message.envelopeFrom, to: [message.to] },
          dsn: { id: message.dsnId, return: 'headers', notify: ['failure', 'delay'], recipient: message.to },
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        if (info.rejected.length > 0) throw Object.assign(new Error('rejected'), { responseCode: 550 });
        return { messageId };
      } catch (error) {
        throw error instanceof EmailSendError ? error : emailSendErrorOf(error);
      }
    },
    close: () => transport.close(),
  };
}
