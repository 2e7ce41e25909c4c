/**
 * A recipient's status in the sender's words, from client/'s LinkView: delivered or
 * failed, opened, verification started, read by whom and when, denied attempts.
 *
 * @example
 * linkStatus(view, t) // ['SMS delivered', 'opened', 'read by Anna Andersson 1 Dec 2026, 13:05']
 */
import type { LinkView, MessageView } from '../../client/index.js';
import { formatTime, type Texts } from '../texts.js';

export function deliveryWord(state: LinkView['deliveries'][number]['state'], reason: string | null, t: Texts): string {
  switch (state) {
    case 'delivered':
      return t.statusDelivered;
    case 'sent':
      return t.statusSent;
    case 'pending':
      return t.statusPending;
    case 'delayed':
      return t.statusDelayed;
    case 'failed':
      return t.statusFailed(reason ?? 'failed');
  }
}

export function linkStatus(link: LinkView, t: Texts): string[] {
  const words: string[] = [];
  const last = link.deliveries.at(-1);
  words.push(last ? `${last.channel === 'sms' ? 'SMS' : t.language === 'sv' ? 'E-post' : 'Email'} ${deliveryWord(last.state, last.reason, t)}` : t.statusHandOver);
  if (link.openedAt) words.push(t.statusOpened);
  if (link.verificationStartedAt) words.push(t.statusVerificationStarted);
  for (const read of link.reads) words.push(t.statusReadBy(read.name, formatTime(read.at, t.language)));
  if (link.reads.length === 0) words.push(t.statusNotRead);
  if (link.deniedAttempts > 0) words.push(t.statusDenied(link.deniedAttempts));
  return words;
}

export function recipientName(link: LinkView, t: Texts): string {
  return link.label?.to ?? t.unknownRecipient;
}

export function messageState(view: MessageView, t: Texts): string | null {
  if (view.state === 'revoked') return t.stateRevoked;
  if (view.state === 'expired') return t.stateExpired;
  if (view.state === 'uploading') return t.stateUploading;
  return null;
}

/** Everything of a message this browser has opened, for the search. */
export function searchableText(view: MessageView): string {
  return [
    view.errand ?? '',
    view.text ?? '',
    ...view.attachments,
    ...view.links.flatMap((link) => [link.label?.to ?? '', ...(link.label?.readers ?? []), ...link.reads.map((read) => read.name)]),
  ]
    .join('\n')
    .toLocaleLowerCase();
}
