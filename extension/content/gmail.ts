/**
 * Gmail (mail.google.com): compose windows, full-screen compose, inline replies and
 * pop-outs (?view=cm). Selectors per WEBMAIL.md §1: the body by `g_editable`, recipients
 * by `data-hovercard-id` chips under `[name=to|cc]`, the subject by `name=subjectbox`.
 */
import type { WebmailRecipient } from '../messages.js';
import { composersIn, press, type Composer, type WebmailAdapter } from './adapter.js';

const bodySelector = '[g_editable="true"][contenteditable="true"], div.Am.Al[contenteditable="true"]';
const sendSelectors = [
  '.IZ .Up div > div[role=button]:not(.Uo):not([aria-haspopup=true])',
  'div.T-I.T-I-atl[role=button]:not([aria-haspopup=true])',
];

function gmailComposer(root: HTMLElement): Composer {
  return {
    root,
    body: () => root.querySelector<HTMLElement>(bodySelector),
    sendButton() {
      for (const selector of sendSelectors) {
        const button = root.querySelector<HTMLElement>(selector);
        if (button) return button;
      }
      return null;
    },
    placeButton(host) {
      const send = this.sendButton();
      if (!send) return null;
      const cell = send.closest('td');
      if (cell?.parentElement) {
        const ownCell = document.createElement('td');
        ownCell.className = 'gU';
        ownCell.setAttribute('data-sigill', 'send-secure-cell');
        ownCell.append(host);
        cell.after(ownCell);
        return ownCell;
      }
      (send.parentElement ?? send).after(host);
      return host;
    },
    subject() {
      const input = root.querySelector<HTMLInputElement>('input[name=subjectbox]') ?? root.querySelector<HTMLInputElement>('input[name=subject]');
      return input?.value ?? '';
    },
    recipients() {
      const found: WebmailRecipient[] = [];
      for (const chip of root.querySelectorAll<HTMLElement>('[name=to] [data-hovercard-id], [name=cc] [data-hovercard-id]')) {
        const field = chip.closest('[name]')?.getAttribute('name') === 'cc' ? 'cc' : 'to';
        const address = chip.getAttribute('data-hovercard-id') ?? '';
        if (address && !found.some((known) => known.address === address)) {
          found.push({ field, address, name: chip.getAttribute('data-name') ?? '' });
        }
      }
      return found;
    },
    removeRecipient(address) {
      for (const chip of root.querySelectorAll<HTMLElement>('[name=to] [data-hovercard-id], [name=cc] [data-hovercard-id]')) {
        if (chip.getAttribute('data-hovercard-id') !== address) continue;
        const remove = chip.querySelector<HTMLElement>('[aria-label^="Remove"], [data-tooltip^="Remove"], .afX');
        if (remove) {
          press(remove);
        } else {
          // No remove control in this DOM variant: take the chip out and tell the field.
          const field = chip.closest('[name]');
          chip.remove();
          field?.querySelector('input')?.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }
    },
  };
}

export const gmail: WebmailAdapter = {
  webmail: 'gmail',
  boundarySelector: '.gmail_signature_prefix, .gmail_signature, [data-smartmail=gmail_signature], .gmail_quote, .gmail_quote_container',
  findComposers(document) {
    const rootOf = (body: HTMLElement) => body.closest<HTMLElement>('.M9') ?? body.closest<HTMLElement>('[role=dialog]') ?? body.closest('form')?.parentElement;
    return composersIn(document, bodySelector, rootOf, gmailComposer);
  },
};
