/**
 * The extension's own words, in the browser's language: Swedish when it prefers Swedish,
 * English otherwise. One language at a time, in every context (the content script, the
 * compose frame, the popup, options). What recipients get (SMS and email text) is in the
 * language the sender picks in the send dialog (client/texts.ts).
 *
 * @example
 * text('button.label')                     // 'Skicka säkert' in a Swedish browser
 * text('dialog.days', { count: 7 })        // '7 dagar'
 */
import type { Language } from '../../client/index.js';
import { en, type TextKey } from './en.js';
import { sv, svProblems } from './sv.js';

export type { TextKey };

/** The browser's language, as far as the extension speaks it. */
export function uiLanguage(): Language {
  const preferred = globalThis.navigator?.language ?? 'en';
  return preferred.toLowerCase().startsWith('sv') ? 'sv' : 'en';
}

const dictionaries: Record<Language, Record<TextKey, string>> = { en, sv };

export function text(key: TextKey, values: Record<string, string | number> = {}): string {
  return dictionaries[uiLanguage()][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A problem's words in the browser's language, by its stable code (English as given otherwise). */
export function problemText(code: string | undefined, english: string): string {
  return uiLanguage() === 'sv' && code !== undefined && code in svProblems ? svProblems[code]! : english;
}
