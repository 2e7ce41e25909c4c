/**
 * Outlook on the web (outlook.live.com, outlook.office.com, outlook.office365.com):
 * compose in the reading pane, pop-out (/mail/deeplink/compose) and full page. Its
 * editor is RoosterJS, which keeps its own model and learns of changes only from input
 * events, so text goes in through editor.ts. Selectors per WEBMAIL.md §2.
 */
import type { WebmailRecipient } from '../messages.js';
import { addressFromLabel, composersIn, type Composer, type WebmailAdapter } from './adapter.js';

const bodySelector = '[id^="editorParent_"] > div[contenteditable="true"], div[role=textbox][contenteditable="true"][aria-label^="Message body"]';
const rootSelector = '[id^="docking_InitVisiblePart_"], [data-app-section="ComposeForm"]';
const entitySelector = '._EType_RECIPIENT_ENTITY';

function entityAddress(entity: HTMLElement): { name: string; address: string } {
  const label = entity.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '';
  if (label.includes('@')) return addressFromLabel(label);
  const text = entity.querySelector('[class^="textContainer-"]')?.textContent ?? entity.textContent ?? '';
  return addressFromLabel(text);
}

function outlookComposer(root: HTMLElement): Composer {
  return {
    root,
    body: () => root.querySelector<HTMLElement>(bodySelector),
    sendButton: () =>
      root.querySelector<HTMLElement>('[data-testid="ComposeSendButton"] button') ??
      root.querySelector<HTMLElement>('button[name="Send"], button[aria-label="Send"]'),
    placeButton(host) {
      const wrapper = root.querySelector('[data-testid="ComposeSendButton"]') ?? this.sendButton();
      if (!wrapper) return null;
      wrapper.after(host);
      return host;
    },
    subject() {
      const input = root.querySelector<HTMLInputElement>('input[aria-label="Add a subject"], input[placeholder="Add a subject"]');
      return input?.value ?? '';
    },
    recipients() {
      const found: WebmailRecipient[] = [];
      for (const entity of root.querySelectorAll<HTMLElement>(entitySelector)) {
        const well = entity.closest('[role=textbox][aria-label]');
        const field = well?.getAttribute('aria-label')?.toLowerCase() === 'cc' ? 'cc' : 'to';
        const { name, address } = entityAddress(entity);
        if (address && !found.some((known) => known.address === address)) found.push({ field, address, name });
      }
      return found;
    },
    removeRecipient(address) {
      for (const entity of root.querySelectorAll<HTMLElement>(entitySelector)) {
        if (entityAddress(entity).address !== address) continue;
        const well = entity.closest<HTMLElement>('[contenteditable="true"]');
        if (well) {
          // As the sender would: select the entity in its well and delete it, so the editor hears it.
          well.focus();
          const range = document.createRange();
          range.selectNode(entity);
          const selection = window.getSelection();
          selection?.removeAllRanges();
          selection?.addRange(range);
          document.execCommand('delete');
        }
        if (entity.isConnected) {
          entity.remove();
          well?.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
        }
      }
    },
  };
}

export const outlook: WebmailAdapter = {
  webmail: 'outlook',
  boundarySelector: '#Signature, [id^="Signature"], #divRplyFwdMsg, #appendonsend, [id^="x_divRplyFwdMsg"]',
  findComposers(document) {
    const rootOf = (body: HTMLElement) => body.closest<HTMLElement>(rootSelector) ?? body.closest<HTMLElement>('[role=main]');
    return composersIn(document, bodySelector, rootOf, outlookComposer);
  },
};
