/**
 * The sent log: the sender's messages, newest first, each with every recipient's status
 * (from the sealed labels and receipts, opened in this browser), refreshed live, and a
 * search over what this browser has opened.
 *
 * @example
 * const view = sentLogView(t, session); main.append(view.element); … view.stop();
 */
import { sentMessages, type MessageView } from '../../client/index.js';
import { focusHeading, h, replace } from '../../ui/dom.js';
import type { Session } from '../session.js';
import { formatTime, type Texts } from '../texts.js';
import { isNetworkProblem } from '../api.js';
import { linkStatus, messageState, recipientName, searchableText } from './describe.js';
import { poller, type Poller } from './polling.js';

export interface LiveView {
  element: HTMLElement;
  stop(): void;
}

function messageItem(view: MessageView, t: Texts): HTMLElement {
  const state = messageState(view, t);
  const errand = view.errand ?? t.unknownErrand;
  return h(
    'li',
    { class: 'message', 'data-message-id': view.messageId, 'data-state': view.state },
    h('h2', { class: 'message-errand' }, h('a', { href: `#/sent/${view.messageId}`, 'aria-label': t.detailsOf(errand) }, errand)),
    h('p', { class: 'meta' }, t.created(formatTime(view.createdAt, t.language)), state ? h('span', { class: 'badge' }, state) : null),
    h(
      'ul',
      { class: 'recipients' },
      ...view.links.map((link) => h('li', { class: 'recipient', 'data-link-id': link.linkId }, h('span', { class: 'recipient-to' }, recipientName(link, t)), ': ', h('span', { class: 'recipient-status' }, linkStatus(link, t).join(', ')))),
    ),
  );
}

export function sentLogView(t: Texts, session: Session, onSignedOut: (error: unknown) => boolean): LiveView {
  const heading = h('h1', { id: 'sent-heading' }, t.sentHeadingLog);
  const search = h('input', { id: 'search', type: 'search', autocomplete: 'off', 'aria-describedby': 'search-hint' });
  const list = h('ul', { class: 'messages', 'aria-labelledby': 'sent-heading' });
  const status = h('p', { class: 'hint', role: 'status', id: 'sent-status' });
  let views: MessageView[] | undefined;

  const render = () => {
    if (!views) return;
    const words = search.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const shown = views.filter((view) => words.every((word) => searchableText(view).includes(word)));
    if (views.length === 0) replace(list, h('li', { class: 'empty' }, t.noMessages));
    else if (shown.length === 0) replace(list, h('li', { class: 'empty' }, t.noMatches));
    else replace(list, ...shown.map((view) => messageItem(view, t)));
  };
  search.addEventListener('input', render);

  const poll: Poller = poller(
    () => sentMessages({ api: session.api, keys: session.keys, sent: session.sent }),
    (result) => {
      views = result;
      status.textContent = t.lastUpdated(formatTime(new Date().toISOString(), t.language));
      render();
    },
    {
      onError(error): void {
        if (onSignedOut(error)) return poll.stop();
        status.textContent = isNetworkProblem(error) ? t.unreachable : t.problem(error instanceof Error ? error.message : String(error));
      },
    },
  );

  const element = h(
    'section',
    { class: 'view sent-view', 'data-view': 'sent' },
    heading,
    h('div', { class: 'field search' }, h('label', { for: 'search' }, t.search), search, h('p', { class: 'hint', id: 'search-hint' }, t.searchHint)),
    status,
    list,
  );
  queueMicrotask(() => focusHeading(heading));
  return { element, stop: () => poll.stop() };
}
