/**
 * One recipient's deliveries in the popup: each SMS or email the server relayed, with its
 * masked address and its state (being sent, sent, delayed, delivered, failed with the
 * provider's code, or interrupted by a server restart), and "Send again" when the latest
 * failed or was interrupted and the sealed label carries the link (client/resend.ts).
 */
import type { DeliveryView, LinkView } from '../../client/index.js';
import { text } from '../texts/index.js';
import { h } from '../../ui/dom.js';
import { timeElement } from '../ui/dom.js';

function stateText(delivery: DeliveryView): string {
  if (delivery.state !== 'failed') return text(`popup.delivery.${delivery.state}`);
  if (delivery.reason === 'interrupted') return text('popup.delivery.interrupted');
  return delivery.providerError ? text('popup.delivery.failedCode', { code: delivery.providerError }) : text('popup.delivery.failed');
}

function deliveryItem(delivery: DeliveryView): HTMLElement {
  const state = delivery.state === 'failed' && delivery.reason === 'interrupted' ? 'interrupted' : delivery.state;
  return h(
    'li',
    { class: `delivery delivery-${state}`, 'data-delivery-id': delivery.deliveryId },
    text(delivery.channel === 'sms' ? 'popup.delivery.sms' : 'popup.delivery.email', { to: delivery.recipient }),
    ': ',
    stateText(delivery),
    delivery.state === 'pending' ? null : timeElement(delivery.at),
  );
}

/** The list of a link's deliveries and, when it can be resent, the button; null without deliveries. */
export function deliveriesOf(link: LinkView, resend: (linkId: string, button: HTMLButtonElement) => void): HTMLElement | null {
  if (link.deliveries.length === 0) return null;
  const button = link.resendable ? h('button', { type: 'button', class: 'resend' }, text('popup.resend')) : null;
  button?.addEventListener('click', () => resend(link.linkId, button));
  return h('div', { class: 'deliveries' }, h('ul', {}, ...link.deliveries.map(deliveryItem)), button);
}
