/**
 * The admin page's Webhooks (the sender API's /api/v1/webhooks, which an admin's session
 * may use): the sender's endpoints with their URL, events, when added and how delivery
 * goes; add one (the server checks the URL: https on a public address, http to loopback
 * only on the development defaults) and see its signing secret this once, with a copy
 * button; turn one on again that was turned off after failing; remove one after a
 * confirmation.
 *
 * @example
 * admin.append(...webhooksSection(t, session.accounts, { status, said }).elements);
 */
import { ApiError } from '../../client/index.js';
import { webhookEventTypes, type WebhookEndpoint, type WebhookEventType } from '../../shared/api/webhooks.js';
import { copyField } from '../copy-field.js';
import { focusHeading, h, replace } from '../../ui/dom.js';
import type { AccountsApi } from '../signin/index.js';
import { formatTime, type Texts } from '../texts.js';

/** The events one may pick; `webhook.test` always arrives. */
const pickable = webhookEventTypes.filter((type) => type !== 'webhook.test');

export interface WebhooksSection {
  elements: HTMLElement[];
  load(): Promise<void>;
}

export function webhooksSection(t: Texts, accounts: AccountsApi, page: { status: HTMLElement; said(error: unknown): void }): WebhooksSection {
  const heading = h('h2', { id: 'webhooks-heading' }, t.webhooks);
  const list = h('ul', { class: 'admin-list', 'aria-labelledby': 'webhooks-heading', id: 'webhooks' });
  const shown = h('div', { class: 'secret-shown' });
  let endpoints: WebhookEndpoint[] = [];
  let confirming: string | undefined;

  const state = (endpoint: WebhookEndpoint) => {
    const at = endpoint.lastFailureAt ? formatTime(endpoint.lastFailureAt, t.language) : '';
    if (!endpoint.enabled) return h('span', { class: 'webhook-state bad', 'data-state': 'disabled' }, t.webhookDisabled(endpoint.lastFailure ?? '', at));
    if (endpoint.failureCount > 0) return h('span', { class: 'webhook-state bad', 'data-state': 'failing' }, t.webhookFailing(endpoint.failureCount, endpoint.lastFailure ?? '', at));
    return h('span', { class: 'webhook-state', 'data-state': 'ok' }, t.webhookOk);
  };
  /** One action on an endpoint: says how it went, shows the list as the server has it now, then moves focus on. */
  const act = async (work: () => Promise<unknown>, done: string, focusAfter: () => void) => {
    try {
      await work();
      page.status.textContent = done;
    } catch (error) {
      page.said(error);
    }
    await load().catch(page.said);
    focusAfter();
  };
  const enable = (endpoint: WebhookEndpoint) =>
    act(() => accounts.enableWebhook(endpoint.id), t.webhookEnabled, () => list.querySelector<HTMLButtonElement>(`[data-endpoint="${endpoint.id}"] [data-action="remove"]`)?.focus());
  const remove = (endpoint: WebhookEndpoint) => {
    confirming = undefined;
    return act(() => accounts.deleteWebhook(endpoint.id), t.webhookRemoved, () => focusHeading(heading));
  };
  const confirmation = (endpoint: WebhookEndpoint, index: number) =>
    h(
      'div',
      { class: 'confirm', role: 'alertdialog', 'aria-labelledby': `webhook-question-${index}`, 'aria-modal': 'false' },
      h('p', { id: `webhook-question-${index}` }, t.removeWebhookConfirm(endpoint.url)),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'button danger', 'data-action': 'remove-yes', on: { click: () => void remove(endpoint) } }, t.removeYes),
        h('button', { type: 'button', class: 'button secondary', 'data-action': 'remove-cancel', on: { click: () => ((confirming = undefined), show(), list.querySelector<HTMLButtonElement>(`[data-endpoint="${endpoint.id}"] [data-action="remove"]`)?.focus()) } }, t.cancel),
      ),
    );
  const show = () => {
    if (endpoints.length === 0) return replace(list, h('li', { class: 'admin-item empty' }, t.noWebhooks));
    replace(
      list,
      ...endpoints.map((endpoint, index) =>
        h(
          'li',
          { class: 'admin-item webhook', 'data-endpoint': endpoint.id },
          h(
            'div',
            { class: 'webhook-about' },
            h('span', { class: 'webhook-url' }, endpoint.url),
            h('small', { class: 'webhook-events' }, `${t.webhookEvents}: ${endpoint.events.length === 0 ? t.everyEvent : endpoint.events.join(', ')}`),
            h('small', { class: 'webhook-created' }, t.webhookCreated(formatTime(endpoint.createdAt, t.language))),
            state(endpoint),
          ),
          endpoint.enabled || confirming === endpoint.id
            ? null
            : h('button', { type: 'button', class: 'button small', 'data-action': 'enable', 'aria-label': t.enableWebhook(endpoint.url), on: { click: () => void enable(endpoint) } }, t.turnOn),
          confirming === endpoint.id
            ? confirmation(endpoint, index)
            : h(
                'button',
                {
                  type: 'button',
                  class: 'button small secondary',
                  'data-action': 'remove',
                  'aria-label': t.removeWebhook(endpoint.url),
                  on: { click: () => ((confirming = endpoint.id), show(), list.querySelector<HTMLButtonElement>('[data-action="remove-yes"]')?.focus()) },
                },
                t.remove,
              ),
        ),
      ),
    );
  };
  const load = async () => {
    endpoints = await accounts.webhooks();
    show();
  };

  const url = h('input', { id: 'webhook-url', type: 'url', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://', 'aria-describedby': 'webhook-url-problem' });
  const urlProblem = h('p', { class: 'field-problem', id: 'webhook-url-problem' });
  const events = pickable.map((type) => h('input', { type: 'checkbox', id: `webhook-event-${type}`, value: type }));
  const form = h(
    'form',
    { class: 'webhook-form', 'aria-label': t.addWebhook, novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'webhook-url' }, t.webhookUrl), url, urlProblem),
    h(
      'fieldset',
      { class: 'field webhook-events-pick', 'aria-describedby': 'webhook-events-hint' },
      h('legend', {}, t.webhookEvents),
      h('p', { class: 'hint', id: 'webhook-events-hint' }, t.webhookEventsHint),
      h('div', { class: 'event-grid' }, ...events.map((box) => h('div', { class: 'check' }, box, h('label', { for: box.id }, box.value)))),
    ),
    h('button', { type: 'submit', class: 'button' }, t.addWebhook),
  );
  const refuseUrl = (message: string) => {
    urlProblem.textContent = message;
    url.setAttribute('aria-invalid', 'true');
    url.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = url.value.trim();
    if (!URL.canParse(text)) return refuseUrl(t.webhookProblem('webhook_url_invalid'));
    urlProblem.textContent = '';
    url.removeAttribute('aria-invalid');
    const picked = events.filter((box) => box.checked).map((box) => box.value as WebhookEventType);
    accounts.createWebhook({ url: text, events: picked }).then(
      (created) => {
        url.value = '';
        for (const box of events) box.checked = false;
        page.status.textContent = t.webhookAdded;
        replace(
          shown,
          copyField(t, { id: 'webhook-secret', value: created.secret, label: t.webhookSecretOnce, copy: t.copySecret, visibleLabel: true, describedBy: 'webhook-secret-note' }),
          h('p', { class: 'warning', id: 'webhook-secret-note' }, t.webhookSecretNote),
        );
        shown.querySelector<HTMLInputElement>('#webhook-secret')?.focus();
        return load();
      },
      (error: unknown) => (error instanceof ApiError && error.code.startsWith('webhook_') ? refuseUrl(t.webhookProblem(error.code)) : page.said(error)),
    );
  });

  return { elements: [heading, h('p', { class: 'note' }, t.webhooksNote), list, form, shown], load };
}
