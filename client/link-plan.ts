import { parseRecipients, type Channel, type RecipientAddress } from '../shared/address.js';
import type { RecipientLabel } from '../shared/labels.js';

/**
 * The link plan: which links a message needs for its addresses (the seed's syntax,
 * shared/address.ts). Each SMS recipient gets a link of its own. Email recipients share
 * one link when the sender's webmail sends the one email to them all (its readers are
 * everyone listed for any of them), or get one each when the server delivers the email.
 *
 * @example
 * planLinks(parseRecipients('0701234567&login=198001011234, anna@example.se?login=*'), { email: 'webmail' })
 * // [{ channel: 'sms', to: ['+46701234567'], readers: ['se-pnr:198001011234'] },
 * //  { channel: 'email', to: ['anna@example.se'], readers: '*' }]
 */
export interface PlannedLink {
  channel: 'sms' | 'email';
  /** Who the link goes to: one phone number (E.164), or one or more email addresses. */
  to: string[];
  /** Identities and patterns, or '*': become the link's tags. */
  readers: '*' | string[];
}

export type EmailDelivery = 'webmail' | 'server';

export function planLinks(addresses: RecipientAddress[], options: { email: EmailDelivery }): PlannedLink[] {
  const sms = addresses.filter((address) => address.channel === 'sms').map((address): PlannedLink => ({ channel: 'sms', to: [address.address], readers: address.authorization }));
  const email = addresses.filter((address) => address.channel === 'email');
  if (options.email === 'server' || email.length <= 1) {
    return [...sms, ...email.map((address): PlannedLink => ({ channel: 'email', to: [address.address], readers: address.authorization }))];
  }
  const readers = email.some((address) => address.authorization === '*') ? '*' : [...new Set(email.flatMap((address) => address.authorization as string[]))];
  return [...sms, { channel: 'email', to: email.map((address) => address.address), readers }];
}

/** Parses a recipients field (shared/address.ts) and plans its links. */
export function planRecipients(field: string, options: { email: EmailDelivery; channel?: Channel }): PlannedLink[] {
  return planLinks(parseRecipients(field, options.channel ? { channel: options.channel } : {}), options);
}

/** The label sealed to the sender for a planned link (PROTOCOL.md §7.1). */
export function labelOf(link: PlannedLink): RecipientLabel {
  return { channel: link.channel, to: link.to.join(', '), readers: link.readers === '*' ? ['*'] : link.readers };
}
