/**
 * The Message field with simple formatting: bold, italic, bulleted and numbered lists and
 * links, from a toolbar (Ctrl/⌘+B and +I too) over an editable area. What it gives is
 * the plain text and the sanitized HTML beside it, the content document's `text` and
 * `html`. The buttons' marks (B, I, •, 1., a link's underlined a) are drawn by the stylesheet, so their names are their labels.
 *
 * @example
 * const editor = messageEditor(t);
 * const { text, html } = editor.value();
 */
import { h } from '../../ui/dom.js';
import type { Texts } from '../texts.js';
import { formattedHtml, isLinkAddress } from './sanitize.js';

export interface MessageEditor {
  element: HTMLElement;
  area: HTMLElement;
  /** `html` only when the text carries formatting. */
  value(): { text: string; html?: string };
}

const formats = ['bold', 'italic', 'insertUnorderedList', 'insertOrderedList'] as const;

export function messageEditor(t: Texts): MessageEditor {
  const area = h('div', {
    id: 'message',
    class: 'editor',
    contenteditable: 'true',
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-labelledby': 'message-label',
    spellcheck: 'true',
  });
  const run = (command: string, value?: string) => {
    area.focus();
    document.execCommand(command, false, value);
  };
  const labels: Record<(typeof formats)[number], string> = { bold: t.bold, italic: t.italic, insertUnorderedList: t.bulletList, insertOrderedList: t.numberedList };
  const buttons = formats.map((format) =>
    h('button', { type: 'button', class: `tool tool-${format}`, 'aria-label': labels[format], title: labels[format], on: { mousedown: (event) => event.preventDefault(), click: () => run(format) } }),
  );

  // The link form: an address field beside the toolbar, not a prompt() (which cannot be styled or labelled).
  let saved: Range | null = null;
  const address = h('input', { id: 'link-address', type: 'url', inputmode: 'url', autocomplete: 'off', 'aria-describedby': 'link-problem' });
  const problem = h('p', { id: 'link-problem', class: 'field-problem', 'aria-live': 'polite' });
  const linkForm = h(
    'div',
    { class: 'link-form', hidden: true },
    h('label', { for: 'link-address' }, t.linkAddress),
    address,
    problem,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'button small', on: { click: () => addLink() } }, t.addLink),
      h('button', { type: 'button', class: 'button small secondary', on: { click: () => closeLink() } }, t.cancel),
    ),
  );
  const closeLink = () => {
    linkForm.hidden = true;
    problem.textContent = '';
    area.focus();
  };
  const addLink = () => {
    const href = address.value.trim();
    if (!isLinkAddress(href)) {
      problem.textContent = t.linkInvalid;
      address.setAttribute('aria-invalid', 'true');
      address.focus();
      return;
    }
    address.removeAttribute('aria-invalid');
    linkForm.hidden = true;
    problem.textContent = '';
    area.focus();
    const selection = window.getSelection();
    if (saved && selection) {
      selection.removeAllRanges();
      selection.addRange(saved);
    }
    if (!selection || selection.isCollapsed) document.execCommand('insertText', false, href);
    if (selection && !selection.isCollapsed) document.execCommand('createLink', false, href);
    else {
      // The address was typed as text: select it and make it the link.
      const range = selection?.rangeCount ? selection.getRangeAt(0) : null;
      if (range && range.startContainer.nodeType === Node.TEXT_NODE && range.startOffset >= href.length) {
        range.setStart(range.startContainer, range.startOffset - href.length);
        selection!.removeAllRanges();
        selection!.addRange(range);
        document.execCommand('createLink', false, href);
        selection!.collapseToEnd();
      }
    }
  };
  const linkButton = h(
    'button',
    {
      type: 'button',
      class: 'tool tool-link',
      'aria-label': t.link,
      title: t.link,
      'aria-controls': 'link-address',
      on: {
        mousedown: (event) => event.preventDefault(),
        click: () => {
          const selection = window.getSelection();
          saved = selection && selection.rangeCount > 0 && area.contains(selection.anchorNode) ? selection.getRangeAt(0).cloneRange() : null;
          address.value = 'https://';
          linkForm.hidden = false;
          address.focus();
        },
      },
    },
  );
  address.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addLink();
    } else if (event.key === 'Escape') closeLink();
  });
  area.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    if (event.key === 'b' || event.key === 'i') {
      event.preventDefault();
      run(event.key === 'b' ? 'bold' : 'italic');
    }
  });

  const element = h(
    'div',
    { class: 'field' },
    h('span', { id: 'message-label', class: 'label' }, t.message),
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t.formatting, 'aria-controls': 'message' }, ...buttons, linkButton),
    linkForm,
    area,
  );
  return {
    element,
    area,
    value() {
      const text = area.innerText.replace(/\n{3,}/g, '\n\n').trim();
      const formatted = area.querySelector('b, strong, i, em, ul, ol, a') !== null;
      return formatted ? { text, html: formattedHtml(area.innerHTML) } : { text };
    },
  };
}
