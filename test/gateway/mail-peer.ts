import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';

/**
 * A sending organisation for the gateway tests: its DNS (DKIM key, SPF, DMARC) served by
 * a fake resolver handed to mailauth, mail composed and DKIM-signed as its MTA would,
 * and sent with nodemailer over SMTP with STARTTLS to the gateway on loopback.
 */
export interface SendingDomain {
  domain: string;
  selector: string;
  privateKey: string;
  /** TXT record values by name. */
  records: Map<string, string[]>;
}

export function sendingDomain(domain: string, { spfIp = '192.0.2.1' }: { spfIp?: string } = {}): SendingDomain {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const selector = 'sel1';
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const records = new Map<string, string[]>([
    [`${selector}._domainkey.${domain}`, [`v=DKIM1; k=rsa; p=${spki}`]],
    [domain, [`v=spf1 ip4:${spfIp} -all`]],
    [`_dmarc.${domain}`, ['v=DMARC1; p=reject; adkim=r; aspf=r']],
  ]);
  return { domain, selector, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), records };
}

/** mailauth's resolver: TXT records of the given domains; every other name does not exist. */
export function fakeResolver(...domains: SendingDomain[]) {
  return async (name: string, type: string): Promise<string[][]> => {
    const values = type === 'TXT' ? domains.map((d) => d.records.get(name.toLowerCase())).find(Boolean) : undefined;
    if (!values) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return values.map((value) => [value]);
  };
}

export interface OutgoingMail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** The mail as its MTA sends it: composed, then DKIM-signed by `signer` (none: unsigned). */
export async function composeMail(mail: OutgoingMail, signer?: SendingDomain): Promise<Buffer> {
  const raw = await new MailComposer({ ...mail, date: new Date() }).compile().build();
  if (!signer) return raw;
  // mailauth's typings name the fields flat; the code reads them from signatureData.
  const options = { canonicalization: 'relaxed/relaxed', signatureData: [{ signingDomain: signer.domain, selector: signer.selector, privateKey: signer.privateKey, algorithm: 'rsa-sha256' }] };
  const signed = await dkimSign(raw, options as unknown as Parameters<typeof dkimSign>[1]);
  if (!signed.signatures.startsWith('DKIM-Signature:')) throw new Error('DKIM signing gave no signature');
  if (signed.errors?.length) throw new Error(`DKIM signing failed: ${signed.errors.map((error) => error.message).join(', ')}`);
  return Buffer.concat([Buffer.from(signed.signatures), raw]);
}

export interface SmtpAnswer {
  accepted: string[];
  rejected: string[];
  response: string;
}

/** Sends raw mail to the gateway (STARTTLS required); resolves with what it answered, rejects with the SMTP error (`responseCode`, `response`). */
export async function sendToGateway(port: number, envelope: { from: string; to: string[] }, raw: Buffer): Promise<SmtpAnswer> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, name: 'mta.sender.test' });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response };
  } finally {
    transport.close();
  }
}
