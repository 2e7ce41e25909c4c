/**
 * The one interface every webmail adapter implements (gmail.ts, outlook.ts). An adapter
 * only finds things in the webmail's DOM; what to do with them lives in composer.ts.
 * Selectors prefer attributes (name=, role=, data-*, g_editable, id prefixes) over the
 * webmails' hashed class names; see ../../shared/reference/WEBMAIL.md §1–2.
 */
import type { Webmail, WebmailRecipient } from '../messages.js';

export interface Composer {
  /** The compose window, inline reply or pop-out: one per composer, stable while it is open. */
  readonly root: HTMLElement;
  /** The rich-text body editor (contenteditable). */
  body(): HTMLElement | null;
  /** The webmail's own Send button. */
  sendButton(): HTMLElement | null;
  /**
   * Puts our button's host element beside Send, and returns the element it inserted
   * (the host, or a toolbar cell holding it), or null while Send is not there.
   */
  placeButton(host: HTMLElement): HTMLElement | null;
  subject(): string;
  /** To and Cc, as the chips show them. */
  recipients(): WebmailRecipient[];
  /** Takes one address out of To or Cc the way the sender would. */
  removeRecipient(address: string): void;
}

export interface WebmailAdapter {
  readonly webmail: Webmail;
  /** Where the sender's own text ends in the body: signature or quoted reply. */
  readonly boundarySelector: string;
  /** Every composer in the document whose body and Send button are present. */
  findComposers(document: Document): Composer[];
}

/**
 * The composers in a document, for an adapter's findComposers: one per root that holds a
 * body matching `bodySelector`, kept only once its Send button is there.
 */
export function composersIn(
  document: Document,
  bodySelector: string,
  rootOf: (body: HTMLElement) => HTMLElement | null | undefined,
  composerOf: (root: HTMLElement) => Composer,
): Composer[] {
  const roots = new Set<HTMLElement>();
  for (const body of document.querySelectorAll<HTMLElement>(bodySelector)) {
    const root = rootOf(body);
    if (root) roots.add(root);
  }
  return [...roots].map(composerOf).filter((composer) => composer.sendButton() !== null);
}

/** Presses a webmail control the way a pointer does (some react to mouse events, not click()). */
export function press(element: HTMLElement): void {
  const options = { bubbles: true, cancelable: true, composed: true, view: window };
  element.dispatchEvent(new PointerEvent('pointerdown', options));
  element.dispatchEvent(new MouseEvent('mousedown', options));
  element.dispatchEvent(new PointerEvent('pointerup', options));
  element.dispatchEvent(new MouseEvent('mouseup', options));
  element.dispatchEvent(new MouseEvent('click', options));
}

/** `Name <address>` or a bare address, as chips label themselves. */
export function addressFromLabel(label: string): { name: string; address: string } {
  const match = /^(.*?)\s*<([^<>]+)>\s*$/.exec(label.trim());
  if (match) return { name: match[1]!.trim(), address: match[2]!.trim() };
  return { name: '', address: label.trim() };
}
