import { authenticate, type DNSResolver } from 'mailauth';
import { MailRefused } from './mail.js';

/**
 * Who may send: the mail must pass DMARC for its From domain, with aligned DKIM or
 * aligned SPF (mailauth 4.13.3, the last release for Node 20). The From address must then
 * belong to a sender allowed on the server (checked by the claim). A DNS failure is a
 * temporary refusal (451), so the sending MTA retries; anything else is refused for good.
 * `dkimAligned` says whether the stronger proof, aligned DKIM, held (an SPF-only pass
 * proves only that the domain lets this relay send).
 */
export interface SenderCheck {
  ip: string;
  helo: string;
  /** MAIL FROM. */
  envelopeFrom: string;
  /** The header From's address (lower case). */
  from: string;
  mta: string;
  resolver?: DNSResolver;
}

export async function checkSender(raw: Buffer, check: SenderCheck): Promise<{ dkimAligned: boolean }> {
  const result = await authenticate(raw, {
    ip: check.ip,
    helo: check.helo,
    sender: check.envelopeFrom,
    mta: check.mta,
    disableBimi: true,
    ...(check.resolver ? { resolver: check.resolver } : {}),
  });
  const dmarc = result.dmarc;
  const status = dmarc ? dmarc.status.result : 'none';
  const temporary = (result: string | undefined) => result === 'temperror' || result === 'temperr';
  // A DNS answer that did not come (DMARC's, a DKIM key, SPF) may come on the MTA's retry.
  if (temporary(status) || (status !== 'pass' && (result.dkim.results.some((r) => temporary(r.status.result)) || temporary(result.spf ? result.spf.status.result : undefined)))) {
    throw new MailRefused(451, '4.7.5 the sender’s DNS could not be checked; try again later');
  }
  const fromDomain = check.from.split('@')[1] ?? '';
  const headerFrom = dmarc ? String(dmarc.status.header?.from ?? '') : '';
  if (!dmarc || status !== 'pass' || headerFrom.toLowerCase() !== fromDomain) {
    throw new MailRefused(550, '5.7.1 the mail did not pass DMARC for its From domain (aligned DKIM or SPF is needed)');
  }
  const dkimAligned = Boolean(dmarc.alignment?.dkim?.result);
  return { dkimAligned };
}
