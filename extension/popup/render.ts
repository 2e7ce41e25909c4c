/** Renders one sent message for the popup: each recipient's link with its status and deliveries. */
import type { LinkView, MessageView } from '../../client/index.js';
import { deliveriesOf } from './deliveries.js';
import { text } from '../texts/index.js';
import { h } from '../../ui/dom.js';
import { timeElement } from '../ui/dom.js';

function linkStatus(link: LinkView, resend: (linkId: string, button: HTMLButtonElement) => void): HTMLElement {
  const parts: (Node | string)[] = [];
  if (link.label?.channel === 'sms') {
    if (link.deliveredAt) parts.push(h('span', {}, text('popup.smsDelivered'), timeElement(link.deliveredAt)));
    else parts.push(text(link.deliveryFailed ? 'popup.smsFailed' : 'popup.smsPending'));
  } else {
    parts.push(text('popup.inEmail'));
  }
  if (link.openedAt) parts.push(text('popup.opened'), timeElement(link.openedAt));
  for (const read of link.reads) parts.push('; ', h('span', { class: 'read' }, text('popup.readBy', { name: read.name }), timeElement(read.at)));
  if (link.reads.length === 0) parts.push(text('popup.notRead'));
  if (link.deniedAttempts > 0) parts.push(link.deniedAttempts === 1 ? text('popup.refusedOne') : text('popup.refused', { count: link.deniedAttempts }));
  return h('li', {}, h('strong', {}, link.label?.to ?? text('popup.elsewhere')), ': ', ...parts, deliveriesOf(link, resend));
}

/** `resend` is called with the message id, the link id and the button pressed. */
export type Resend = (messageId: string, linkId: string, button: HTMLButtonElement) => void;

export function renderMessage(message: MessageView, revoke: (messageId: string) => void, resend: Resend): HTMLElement {
  const revokeButton = message.state === 'ready' || message.state === 'uploading' ? h('button', { type: 'button' }, text('popup.revoke')) : null;
  revokeButton?.addEventListener('click', () => revoke(message.messageId));
  const state = message.state === 'ready' ? '' : text(`popup.state.${message.state}`);
  return h(
    'article',
    { class: `state-${message.state}`, 'data-message-id': message.messageId },
    h('h2', {}, message.errand ?? text('popup.messageElsewhere')),
    h('p', { class: 'meta' }, text('popup.sent'), timeElement(message.createdAt), state ? ` · ${state}` : '', !state ? h('span', {}, text('popup.expires'), timeElement(message.expiresAt)) : null),
    h('ul', {}, ...message.links.map((link) => linkStatus(link, (linkId, button) => resend(message.messageId, linkId, button)))),
    revokeButton,
  );
}
