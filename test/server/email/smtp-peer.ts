/**
 * A real SMTP server in the test process (smtp-server) that offers STARTTLS with a CA
 * made at test time, records every message as raw bytes and as mailparser parsed it,
 * with the session's TLS flag and envelope (DSN parameters shown: hideDSN false), and
 * refuses the recipients it is told to with 550.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerEnvelope } from 'smtp-server';
import { issueCertificate, type KeyedCertificate } from '../../../server/bankid/simulator/certificates.js';
import { emailSettingsOf, type EmailSettings } from '../../../server/delivery/email-config.js';

export interface TestCa {
  root: KeyedCertificate;
  server: KeyedCertificate;
  /** The root's PEM in a file (SIGILL_SMTP_CA). */
  caFile: string;
}

/** A root CA and a localhost server certificate it issued. */
export function makeTestCa(): TestCa {
  const root = issueCertificate({ subject: [{ name: 'commonName', value: 'Sigill test mail CA' }], ca: true });
  const server = issueCertificate({
    subject: [{ name: 'commonName', value: 'localhost' }],
    issuer: root,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const caFile = join(mkdtempSync(join(tmpdir(), 'sigill-mail-ca-')), 'ca.pem');
  writeFileSync(caFile, root.certPem);
  return { root, server, caFile };
}

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  /** Whether the session ran over TLS (STARTTLS here). */
  secure: boolean;
  envelope: SMTPServerEnvelope;
}

export interface SmtpPeer {
  port: number;
  received: ReceivedMail[];
  /** Addresses answered with 550 at RCPT TO. */
  refuse: Set<string>;
  close(): Promise<void>;
}

/** `tls: false`: the peer does not offer STARTTLS (a relay a client must refuse). */
export async function startSmtpPeer(ca: TestCa, { tls = true }: { tls?: boolean } = {}): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    key: ca.server.keyPem,
    cert: ca.server.certPem,
    authOptional: true,
    ...(tls ? {} : { disabledCommands: ['STARTTLS'] }),
    hideDSN: false,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) return callback(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({ raw, parsed, secure: session.secure, envelope: structuredClone(session.envelope) });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    refuse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The server's email settings for sending to `peer` on localhost, trusting the test CA. */
export function settingsFor(peer: Pick<SmtpPeer, 'port'>, ca: TestCa): EmailSettings {
  return emailSettingsOf({ SIGILL_SMTP_URL: `smtp://localhost:${peer.port}`, SIGILL_MAIL_FROM: 'no-reply@sigill.test', SIGILL_SMTP_CA: ca.caFile }, (message) => new Error(message));
}
