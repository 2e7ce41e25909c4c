/**
 * One message's detail: errand, dates, attachments and the text (when the sender kept a
 * copy), each recipient with who may read, every delivery, opened, verification started,
 * reads and denied attempts, refreshed live. Revoke asks first; a failed or interrupted
 * delivery can be sent again when its label carries the link (client/'s resendDelivery:
 * the label is sealed to the sender, so the server never had the link at rest).
 *
 * @example
 * const view = detailView(t, session, messageId, onSignedOut); main.append(view.element);
 */
import { resendDelivery, sentMessage, type LinkView, type MessageView } from '../../client/index.js';
import { focusHeading, h, replace } from '../../ui/dom.js';
import { ApiError, isNetworkProblem } from '../api.js';
import { describeReaders } from '../compose/recipients-field.js';
import type { Session } from '../session.js';
import { formatTime, type Texts } from '../texts.js';
import { deliveryWord, linkStatus, messageState, recipientName } from './describe.js';
import { poller, type Poller } from './polling.js';
import type { LiveView } from './sent-log.js';

export function detailView(t: Texts, session: Session, messageId: string, onSignedOut: (error: unknown) => boolean): LiveView {
  const heading = h('h1', { id: 'detail-heading' }, '…');
  const body = h('div', { class: 'detail' });
  const status = h('p', { class: 'hint', role: 'status', id: 'detail-status' });
  let current: MessageView | undefined;
  let confirming = false;

  /** client/'s resend: the link comes out of the label sealed to the receipt key, only for this relay. */
  const resend = async (view: MessageView, link: LinkView, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const result = await resendDelivery({ api: session.api, keys: session.keys }, view.messageId, link.linkId, { language: t.language });
      status.textContent = result.delivery === 'sms_sent' || result.delivery === 'email_sent' ? t.resent : t.resultFailed(result.error?.code ?? result.delivery);
    } catch (error) {
      status.textContent = t.problem(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    }
    poll.now();
  };

  const recipientItem = (view: MessageView, link: LinkView) => {
    const failed = link.deliveries.at(-1)?.offerResend ?? false;
    const resendButton = link.resendable
      ? h('button', { type: 'button', class: 'button small', 'data-action': 'resend', on: { click: (event) => void resend(view, link, event.currentTarget as HTMLButtonElement) } }, t.resend)
      : failed
        ? h('p', { class: 'hint' }, t.resendUnavailable)
        : null;
    return h(
      'li',
      { class: 'recipient card', 'data-link-id': link.linkId },
      h('h2', {}, recipientName(link, t)),
      link.label ? h('p', {}, `${t.readers}: ${describeReaders(link.label.readers.includes('*') ? '*' : link.label.readers, t)}`) : null,
      h('p', { class: 'recipient-status' }, linkStatus(link, t).join(', ')),
      link.deliveries.length > 0
        ? h(
            'ul',
            { class: 'deliveries', 'aria-label': t.deliveries },
            ...link.deliveries.map((delivery) => h('li', {}, `${delivery.channel === 'sms' ? 'SMS' : 'Email'} ${delivery.recipient}: ${deliveryWord(delivery.state, delivery.reason, t)}, ${formatTime(delivery.at, t.language)}`)),
          )
        : null,
      resendButton,
    );
  };

  const revokeArea = h('div', { class: 'revoke' });
  const showRevoke = (view: MessageView) => {
    if (view.state !== 'ready' && view.state !== 'uploading') return replace(revokeArea);
    if (!confirming) {
      return replace(revokeArea, h('button', { type: 'button', class: 'button danger', id: 'revoke', on: { click: () => ((confirming = true), showRevoke(view), revokeArea.querySelector<HTMLButtonElement>('#revoke-yes')?.focus()) } }, t.revoke));
    }
    replace(
      revokeArea,
      h(
        'div',
        { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'revoke-question', 'aria-modal': 'false' },
        h('p', { id: 'revoke-question' }, t.revokeConfirm),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              class: 'button danger',
              id: 'revoke-yes',
              on: {
                click: async () => {
                  try {
                    await session.api.revoke(view.messageId);
                    status.textContent = t.revoked;
                  } catch (error) {
                    status.textContent = t.problem(error instanceof ApiError ? error.code : String(error));
                  }
                  confirming = false;
                  poll.now();
                  heading.focus();
                },
              },
            },
            t.revokeYes,
          ),
          h('button', { type: 'button', class: 'button secondary', on: { click: () => ((confirming = false), showRevoke(view), revokeArea.querySelector<HTMLButtonElement>('#revoke')?.focus()) } }, t.cancel),
        ),
      ),
    );
  };

  const render = (view: MessageView) => {
    current = view;
    heading.textContent = view.errand ?? t.unknownErrand;
    const state = messageState(view, t);
    replace(
      body,
      h('p', { class: 'meta' }, t.created(formatTime(view.createdAt, t.language)), ' · ', t.expires(formatTime(view.expiresAt, t.language)), state ? h('span', { class: 'badge', 'data-state': view.state }, state) : null),
      view.attachments.length > 0 ? h('p', {}, t.attachmentsOf(view.attachments.join(', '))) : null,
      view.text ? h('div', { class: 'text-copy' }, h('h2', {}, t.textCopy), h('p', { class: 'pre' }, view.text)) : null,
      h('ul', { class: 'recipients-detail' }, ...view.links.map((link) => recipientItem(view, link))),
    );
    showRevoke(view);
  };

  const poll: Poller = poller(
    () => sentMessage({ api: session.api, keys: session.keys, sent: session.sent }, messageId),
    (view) => {
      if (!confirming || current?.state !== view.state) render(view);
      status.dataset.updated = new Date().toISOString();
    },
    {
      onError(error): void {
        if (onSignedOut(error)) return poll.stop();
        if (error instanceof ApiError && error.status === 404) {
          heading.textContent = t.notFound;
          return poll.stop();
        }
        status.textContent = isNetworkProblem(error) ? t.unreachable : t.problem(error instanceof Error ? error.message : String(error));
      },
    },
  );

  const element = h('section', { class: 'view detail-view', 'data-view': 'detail' }, h('p', {}, h('a', { href: '#/sent' }, t.back)), heading, status, body, revokeArea);
  queueMicrotask(() => focusHeading(heading));
  return { element, stop: () => poll.stop() };
}
