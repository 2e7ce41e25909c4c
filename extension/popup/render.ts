/** Renders one sent message for the popup: each recipient's link with its status. */
import type { LinkView, MessageView } from '../../client/index.js';
import { h, timeElement } from '../ui/dom.js';

function linkStatus(link: LinkView): HTMLElement {
  const parts: (Node | string)[] = [];
  if (link.label?.channel === 'sms') {
    if (link.deliveredAt) parts.push(h('span', {}, 'SMS delivered ', timeElement(link.deliveredAt)));
    else parts.push(link.deliveryFailed ? 'SMS could not be delivered' : 'SMS not delivered yet');
  } else {
    parts.push('sent in your email');
  }
  if (link.openedAt) parts.push('; opened ', timeElement(link.openedAt));
  for (const read of link.reads) parts.push('; ', h('span', { class: 'read' }, `read by ${read.name} `, timeElement(read.at)));
  if (link.reads.length === 0) parts.push('; not read yet');
  if (link.deniedAttempts > 0) parts.push(`; ${link.deniedAttempts} refused ${link.deniedAttempts === 1 ? 'attempt' : 'attempts'}`);
  return h('li', {}, h('strong', {}, link.label?.to ?? 'a recipient sent from elsewhere'), ': ', ...parts);
}

export function renderMessage(message: MessageView, revoke: (messageId: string) => void): HTMLElement {
  const revokeButton = message.state === 'ready' || message.state === 'uploading' ? h('button', { type: 'button' }, 'Revoke') : null;
  revokeButton?.addEventListener('click', () => revoke(message.messageId));
  const state = { ready: '', uploading: 'uploading', revoked: 'revoked', expired: 'expired' }[message.state];
  return h(
    'article',
    { class: `state-${message.state}`, 'data-message-id': message.messageId },
    h('h2', {}, message.errand ?? 'A message sent from elsewhere'),
    h('p', { class: 'meta' }, 'Sent ', timeElement(message.createdAt), state ? ` · ${state}` : '', !state ? h('span', {}, ' · expires ', timeElement(message.expiresAt)) : null),
    h('ul', {}, ...message.links.map(linkStatus)),
    revokeButton,
  );
}
