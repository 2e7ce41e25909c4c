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
  /** An extension page: the compose frame (in a webmail tab), the popup, options. */
  | { kind: 'page'; tabId: number | undefined; frameId: number | undefined; documentId: string | undefined; url: string }
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

/**
 * An extension page of ours: this extension's id, at an extension URL. The compose frame
 * may be loaded from a dynamic URL (`use_dynamic_url`), whose host is not the id.
 */
function isOwnPage(url: string): boolean {
  return new URL(url).protocol === new URL(extensionOrigin()).protocol;
}

export function identifyCaller(sender: Runtime.MessageSender): Caller | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  const origin = originOf(sender.url);
  if (origin === undefined) return undefined;
  if (isOwnPage(sender.url!)) {
    const documentId = (sender as { documentId?: string }).documentId;
    return { kind: 'page', tabId: sender.tab?.id, frameId: sender.frameId, documentId, url: sender.url ?? '' };
  }
  if (webmailOrigins.includes(origin) && sender.tab?.id !== undefined) {
    return { kind: 'content', tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin };
  }
  return undefined;
}

export function mayAsk(caller: Caller, type: RequestType): boolean {
  if (caller.kind === 'page') return true;
  return (contentRequestTypes as readonly string[]).includes(type);
}
