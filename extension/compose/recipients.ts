/**
 * The send dialog's recipient rows, from the webmail's To and Cc. An address in the seed
 * service's gateway form, `<mobile>&login=<who>&login=<who>@<smsDomain>`, is an SMS
 * recipient with its login= list as readers, and is taken out of To when the message
 * is sealed. Every other address is an email recipient of the shared email link.
 *
 * @example
 * recipientRows([{ field: 'to', address: '0701234567&login=*@sms.sigill.se', name: '' }], 'sms.sigill.se')
 * // [{ channel: 'sms', address: '+46701234567', readersText: '*', gatewayAddress: '0701234567&login=*@sms.sigill.se' }]
 */
import { AddressError, parseRecipients } from '../../shared/address.js';
import { identityScheme } from '../../shared/authorization.js';
import type { WebmailRecipient } from '../messages.js';
import { problemText } from '../texts/index.js';

export interface RecipientRow {
  channel: 'email' | 'sms';
  /** The email address, or the mobile number in E.164. */
  address: string;
  name: string;
  /** What the "Who may read" field starts with. */
  readersText: string;
  /** For rows read from a gateway address: that address, to remove from To. */
  gatewayAddress?: string;
  /** A gateway address that could not be read. */
  problem?: string;
}

/** Identities back to the form the sender typed (`se-pnr:` dropped), for the field. */
function readersText(authorization: '*' | string[]): string {
  return authorization === '*' ? '*' : authorization.map((who) => who.slice(identityScheme.length)).join(', ');
}

export function isGatewayAddress(address: string, smsDomain: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && address.slice(at + 1).toLowerCase() === smsDomain.toLowerCase();
}

export function recipientRows(recipients: readonly WebmailRecipient[], smsDomain: string): RecipientRow[] {
  return recipients.map((recipient): RecipientRow => {
    if (!isGatewayAddress(recipient.address, smsDomain)) {
      return { channel: 'email', address: recipient.address, name: recipient.name, readersText: '' };
    }
    const localPart = recipient.address.slice(0, recipient.address.lastIndexOf('@'));
    try {
      const [parsed] = parseRecipients(localPart, { channel: 'sms' });
      return { channel: 'sms', address: parsed!.address, name: '', readersText: readersText(parsed!.authorization), gatewayAddress: recipient.address };
    } catch (error) {
      const problem = error instanceof AddressError ? error.problems.map((p) => problemText(p.code, p.reason)).join('; ') : problemText('address_invalid', 'this SMS address could not be read');
      const number = localPart.split(/[&?]/)[0] ?? '';
      return { channel: 'sms', address: number, name: '', readersText: '', gatewayAddress: recipient.address, problem };
    }
  });
}
