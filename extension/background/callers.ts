/**
 * Who is asking. The worker answers only its own extension: extension pages (the compose
 * frame, popup, options) may ask anything; a content script on a webmail page may ask
 * only the few non-secret things in `contentRequestTypes`. Anything else is refused.
 *
 * @example
 * const caller = identifyCaller(sender); // { kind: 'page' } | { kind: 'content', tabId, frameId } | undefined
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { contentRequestTypes, type RequestType } from '../messages.js';

export const webmailOrigins = ['https://mail.google.com', 'https://outlook.live.com', 'https://outlook.office.com', 'https://outlook.office365.com'];

export type Caller =
  | { kind: 'page'; tabId: number | undefined; url: string }
  | { kind: 'content'; tabId: number; frameId: number; origin: string };

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function extensionOrigin(): string {
  return new URL(browser.runtime.getURL('/')).origin;
}

export function identifyCaller(sender: Runtime.MessageSender): Caller | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  const origin = originOf(sender.url);
  if (origin === undefined) return undefined;
  if (origin === extensionOrigin()) return { kind: 'page', tabId: sender.tab?.id, url: sender.url ?? '' };
  if (webmailOrigins.includes(origin) && sender.tab?.id !== undefined) {
    return { kind: 'content', tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin };
  }
  return undefined;
}

export function mayAsk(caller: Caller, type: RequestType): boolean {
  if (caller.kind === 'page') return true;
  return (contentRequestTypes as readonly string[]).includes(type);
}
