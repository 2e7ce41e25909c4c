/**
 * The compose view: Recipients, Errand (with its warning), Message, Attachments, how
 * long it may be read, a read limit, and Send. Send is refused, with what to fix, until
 * every recipient entry is right, there is an errand and the attachments fit in the
 * server's limit (`maxMessageBytes`, from GET /senders/me).
 *
 * @example
 * main.replaceChildren(composeView(t, { maxMessageBytes: session.maxMessageBytes, onSend: (draft) => sending(draft) }).element);
 */
import { planLinks, type Language, type PlannedLink } from '../../client/index.js';
import { focusHeading, h } from '../../ui/dom.js';
import type { Texts } from '../texts.js';
import { attachmentsField, type AttachmentsField } from './attachments.js';
import { messageEditor } from './message-editor.js';
import { recipientsField } from './recipients-field.js';

export interface Draft {
  links: PlannedLink[];
  errand: string;
  text: string;
  html?: string;
  files: File[];
  expiresAt: string;
  readLimit?: number;
  keepText: boolean;
  language: Language;
}

export interface ComposeView {
  element: HTMLElement;
  attachments: AttachmentsField;
  /** Disables the form while it is being sent. */
  lock(locked: boolean): void;
}

const lifetimes = [1, 7, 30, 90];

export function composeView(t: Texts, { onSend, maxMessageBytes }: { onSend: (draft: Draft) => void; maxMessageBytes: number }): ComposeView {
  const heading = h('h1', {}, t.compose);
  const recipients = recipientsField(t);
  const errand = h('input', { id: 'errand', name: 'errand', type: 'text', maxlength: 200, autocomplete: 'off', 'aria-describedby': 'errand-warning' });
  const editor = messageEditor(t);
  const attachments = attachmentsField(t, maxMessageBytes);
  const expiry = h('select', { id: 'expiry', name: 'expiry' }, ...lifetimes.map((days) => h('option', { value: days, selected: days === 30 }, t.days(days))));
  const readLimit = h('input', { id: 'read-limit', name: 'readLimit', type: 'number', min: 1, max: 1000, step: 1, inputmode: 'numeric', 'aria-describedby': 'read-limit-hint' });
  const keepText = h('input', { id: 'keep-text', name: 'keepText', type: 'checkbox', checked: true });
  const language = h(
    'select',
    { id: 'recipients-language', name: 'language' },
    h('option', { value: 'sv', selected: t.language === 'sv' }, 'Svenska'),
    h('option', { value: 'en', selected: t.language === 'en' }, 'English'),
  );
  const problems = h('div', { class: 'problems', id: 'send-problems', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'button primary', id: 'send' }, t.send);

  const form = h(
    'form',
    { class: 'compose', novalidate: true, 'aria-labelledby': 'compose-heading' },
    recipients.element,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'errand' }, t.errand),
      errand,
      h('p', { class: 'warning', id: 'errand-warning' }, t.errandWarning),
    ),
    editor.element,
    attachments.element,
    h(
      'div',
      { class: 'options' },
      h('div', { class: 'field' }, h('label', { for: 'expiry' }, t.expiry), expiry),
      h('div', { class: 'field' }, h('label', { for: 'read-limit' }, t.readLimit), readLimit, h('p', { class: 'hint', id: 'read-limit-hint' }, t.readLimitHint)),
      h('div', { class: 'field' }, h('label', { for: 'recipients-language' }, t.recipientsLanguage), language),
    ),
    h('div', { class: 'field check' }, keepText, h('label', { for: 'keep-text' }, t.keepText)),
    problems,
    h('div', { class: 'actions' }, send),
  );
  heading.id = 'compose-heading';

  const refuse = (messages: string[], focus: HTMLElement) => {
    problems.replaceChildren(h('p', {}, t.fixBeforeSending), h('ul', {}, ...messages.map((message) => h('li', {}, message))));
    focus.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { entries, addresses, problems: wrong } = recipients.check();
    const messages: string[] = [];
    let focus: HTMLElement | undefined;
    if (entries.length === 0) {
      messages.push(t.recipientsMissing);
      focus ??= recipients.input;
    }
    for (const entry of entries) if (entry.problem) messages.push(t.entryProblem(entry.entry, entry.text, t.addressProblem(entry.problem)));
    if (wrong > 0) focus ??= recipients.input;
    if (errand.value.trim() === '') {
      messages.push(t.errandMissing);
      errand.setAttribute('aria-invalid', 'true');
      focus ??= errand;
    } else errand.removeAttribute('aria-invalid');
    const limitText = readLimit.value.trim();
    const limit = limitText === '' ? undefined : Number(limitText);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
      messages.push(t.readLimitInvalid);
      readLimit.setAttribute('aria-invalid', 'true');
      focus ??= readLimit;
    } else readLimit.removeAttribute('aria-invalid');
    const { text, html } = editor.value();
    const fileProblems = attachments.problems();
    const messageProblem = fileProblems.length === 0 ? attachments.messageProblem({ text, ...(html !== undefined ? { html } : {}) }) : undefined;
    if (fileProblems.length > 0) {
      messages.push(...fileProblems);
      focus ??= attachments.firstRefused();
    } else if (messageProblem) {
      messages.push(messageProblem);
      focus ??= editor.area;
    }
    if (focus) return refuse(messages, focus);
    problems.replaceChildren();
    onSend({
      links: planLinks(addresses, { email: 'server' }),
      errand: errand.value.trim(),
      text,
      ...(html !== undefined ? { html } : {}),
      files: attachments.files(),
      expiresAt: new Date(Date.now() + Number(expiry.value) * 86_400_000).toISOString(),
      ...(limit !== undefined ? { readLimit: limit } : {}),
      keepText: keepText.checked,
      language: language.value === 'en' ? 'en' : 'sv',
    });
  });

  const element = h('section', { class: 'view compose-view' }, heading, form);
  queueMicrotask(() => focusHeading(heading));
  return {
    element,
    attachments,
    lock(locked) {
      for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLSelectElement | HTMLTextAreaElement>('input, button, select, textarea')) control.disabled = locked;
      editor.area.contentEditable = locked ? 'false' : 'true';
      attachments.lock(locked);
    },
  };
}
