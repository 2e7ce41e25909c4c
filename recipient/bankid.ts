import { deviceFromUserAgent, launchUrl, type LaunchDevice } from '../shared/bankid/launch-url.js';
import { rfaTexts, userMessage } from '../shared/bankid/user-messages.js';
import type { Language } from './i18n.js';

/**
 * BankID on this page: the launch URL for the same device and BankID's recommended
 * message for every hint code (BANKID.md §1.6 and §3). The rules and texts live in
 * shared/bankid/launch-url.ts and user-messages.ts, pure modules with no Node
 * imports, so the page and the server say exactly the same.
 *
 * @example
 * const device = thisDevice(navigator);
 * location.href = launchFor('…token…', device, 'https://sigill.se/o/abc').url;
 * hintText({ status: 'pending', hintCode: 'userSign' }, 'sv', 'qr', device)
 */
export type Flow = 'qr' | 'autostart';

/** The device as BankID's launch rules see it; iPadOS Safari claims to be a Mac. */
export function thisDevice(navigator: Navigator): LaunchDevice {
  const device = deviceFromUserAgent(navigator.userAgent);
  if (device.os === 'desktop' && /Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1) {
    return { os: 'ios', browser: device.browser === 'other' ? 'safari' : device.browser };
  }
  return device;
}

export function isMobile(device: LaunchDevice): boolean {
  return device.os !== 'desktop';
}

/**
 * The URL that starts the BankID app here. `pageUrl` is this page without its
 * fragment, so iOS Safari comes back to the same tab; the secret is never in it.
 */
export function launchFor(autoStartToken: string, device: LaunchDevice, pageUrl: string): { url: string; requiresUserGesture: boolean } {
  if (pageUrl.includes('#')) throw new RangeError('the return URL must not carry a fragment');
  return launchUrl({ autoStartToken, device, pageUrl });
}

export function hintText(state: { status: 'pending' | 'failed'; hintCode: string }, language: Language, flow: Flow, device: LaunchDevice): string {
  return userMessage(state, language, { flow, device: isMobile(device) ? 'mobile' : 'computer' }).text;
}

/** The message for a refusal to start (409 from the server: BankID's alreadyInProgress). */
export function alreadyInProgressText(language: Language): string {
  return userMessage({ errorCode: 'alreadyInProgress' }, language).text;
}

/** RFA18, the label of a button that starts the BankID app. */
export function startAppLabel(language: Language): string {
  return rfaTexts.RFA18[language].replace(/\.$/, '');
}

/** RFA22, for failures without a BankID hint. */
export function unknownErrorText(language: Language): string {
  return userMessage({ status: 'failed', hintCode: 'unknown' }, language).text;
}
