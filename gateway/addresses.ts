import { AddressError, parseRecipients, type RecipientAddress } from '../shared/address.js';

/**
 * The gateway's addresses (the seed's syntax, in a mail's RCPT TO):
 * - SMS: `<mobile>&login=<who>[&login=<who>…][&]@<SMS domain>`;
 * - email: `<local>=<domain>&login=<who>…@<mail domain>`, the recipient's `@` written as `=`.
 * `<who>` is as in shared/address.ts. `?login=` works too. An address of another domain
 * is not the gateway's (`undefined`); a gateway address that is wrong throws an
 * AddressError whose reason never repeats the identity numbers.
 *
 * @example
 * gatewayRecipient('0701234567&login=198112189876@sms.example', domains)
 * // { channel: 'sms', address: '+46701234567', authorization: ['se-pnr:198112189876'] }
 * gatewayRecipient('anna=example.se&login=*@mail.example', domains)
 * // { channel: 'email', address: 'anna@example.se', authorization: '*' }
 */
export interface GatewayDomains {
  sms: string;
  mail: string;
}

export function gatewayRecipient(rcpt: string, domains: GatewayDomains): RecipientAddress | undefined {
  const at = rcpt.lastIndexOf('@');
  if (at < 1) return undefined;
  const local = rcpt.slice(0, at);
  const domain = rcpt.slice(at + 1).toLowerCase();
  if (domain === domains.sms.toLowerCase()) return only(parseRecipients(local, { channel: 'sms' }));
  if (domain !== domains.mail.toLowerCase()) return undefined;
  const cut = local.search(/[&?]/);
  const address = cut === -1 ? local : local.slice(0, cut);
  const equals = address.lastIndexOf('=');
  if (equals < 1) {
    throw new AddressError([{ entry: 1, address: '', code: 'email_invalid', reason: 'write the recipient’s address with = for its @, such as anna=example.se&login=…' }]);
  }
  const email = `${address.slice(0, equals)}@${address.slice(equals + 1)}`;
  return only(parseRecipients(email + (cut === -1 ? '' : local.slice(cut)), { channel: 'email' }));
}

function only(addresses: RecipientAddress[]): RecipientAddress {
  if (addresses.length !== 1) throw new AddressError([{ entry: 1, address: '', code: 'address_invalid', reason: 'one recipient per gateway address' }]);
  return addresses[0]!;
}
