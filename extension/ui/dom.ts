/**
 * What the extension's pages add to the element builder they share with the other pages
 * (ui/dom.ts; no innerHTML anywhere in the extension): times, problems and static words
 * in the browser's language.
 *
 * @example
 * list.append(h('li', {}, timeElement(sentAt), ' ', errorText(error)));
 */
import { h } from '../../ui/dom.js';
import { problemText, text, uiLanguage, type TextKey } from '../texts/index.js';

/** Formats an RFC 3339 time as `YYYY-MM-DD HH:MM` in local time, in a <time> element. */
export function timeElement(iso: string): HTMLTimeElement {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  const text = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return h('time', { datetime: iso }, text);
}

/** What went wrong, for the sender, in the browser's language where the code is known. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return text('problem.generic');
  const { code } = error as { code?: unknown };
  return problemText(typeof code === 'string' ? code : undefined, error.message);
}

/**
 * Puts a page's static words in the browser's language: `data-text` names the key for an
 * element's text, `data-placeholder` for its placeholder, `data-title` for the page title.
 */
export function localize(document: Document): void {
  document.documentElement.lang = uiLanguage();
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) element.textContent = text(element.dataset.text as TextKey);
  for (const element of document.querySelectorAll<HTMLInputElement>('[data-placeholder]')) element.placeholder = text(element.dataset.placeholder as TextKey);
  const title = document.documentElement.dataset.title;
  if (title) document.title = text(title as TextKey);
}
