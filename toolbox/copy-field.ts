/**
 * A read-only field with a Copy button, for what is shown once or must be handed on: a
 * link no channel delivered, a new API token, a webhook's signing secret. The value goes
 * in as the input's value (never markup); "Copied." is announced politely.
 *
 * @example
 * copyField(t, { id: 'link-0', value: link, label: t.linkFor(to), copy: t.copyLink })
 * copyField(t, { id: 'new-token', value: token, label: t.tokenOnce, copy: t.copyToken, visibleLabel: true })
 */
import { h } from '../ui/dom.js';
import type { Texts } from './texts.js';

export interface CopyFieldOptions {
  id: string;
  value: string;
  /** The field's name: an aria-label, or a visible label with `visibleLabel`. */
  label: string;
  /** The button's words. */
  copy: string;
  visibleLabel?: boolean;
  /** The id of a note that describes the field (such as "it is not shown again"). */
  describedBy?: string;
}

export function copyField(t: Pick<Texts, 'copied'>, options: CopyFieldOptions): HTMLElement {
  const field = h('input', {
    id: options.id,
    type: 'text',
    readonly: true,
    class: 'link-field',
    value: options.value,
    ...(options.visibleLabel ? {} : { 'aria-label': options.label }),
    ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {}),
  });
  const note = h('span', { class: 'copied', 'aria-live': 'polite' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'button small secondary',
      on: {
        click: async () => {
          field.select();
          await navigator.clipboard?.writeText(options.value).catch(() => document.execCommand('copy'));
          note.textContent = t.copied;
        },
      },
    },
    options.copy,
  );
  const row = h('div', { class: 'copy-link' }, field, copy, note);
  return options.visibleLabel ? h('div', { class: 'field' }, h('label', { for: options.id }, options.label), row) : row;
}
