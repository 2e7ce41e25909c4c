/**
 * The URL that starts the BankID app on the same device (autostart), following BankID's rules:
 * `https://app.bankid.com/` on iOS Safari and on Android 6+ with Chrome or Edge, `bankid:///` elsewhere;
 * `redirect=null` on Android and desktop; on iOS the page (Safari) or the browser's own scheme.
 * When the order carried a server-side `returnUrl`, that wins and `redirect` is `null`.
 *
 * @example
 * launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgent), pageUrl: 'https://sigill.se/r/abc' })
 * // { url: 'https://app.bankid.com/?autostarttoken=…&redirect=https%3A%2F%2Fsigill.se%2Fr%2Fabc', requiresUserGesture: false }
 */
export type DeviceOs = 'ios' | 'android' | 'desktop';
export type DeviceBrowser = 'safari' | 'chrome' | 'firefox' | 'edge' | 'opera' | 'samsung' | 'brave' | 'other';

export interface LaunchDevice {
  os: DeviceOs;
  browser: DeviceBrowser;
  /** Android's major version; the app link needs Android 6 or later. */
  osMajorVersion?: number;
}

export interface LaunchUrlInput {
  autoStartToken: string;
  device: LaunchDevice;
  /** The page to come back to on iOS Safari (should carry a session nonce). */
  pageUrl?: string;
  /** True when `returnUrl` was sent in `/auth` or `/sign`; it overrides the launch URL's redirect. */
  orderHasReturnUrl?: boolean;
}

export interface LaunchUrl {
  url: string;
  /** Android Chrome, Edge, Samsung and Brave open the app only from a tap. */
  requiresUserGesture: boolean;
}

export function launchUrl({ autoStartToken, device, pageUrl, orderHasReturnUrl = false }: LaunchUrlInput): LaunchUrl {
  if (!/^[0-9A-Za-z-]+$/.test(autoStartToken)) throw new RangeError('autoStartToken has an unexpected form');
  const appLink =
    (device.os === 'ios' && device.browser === 'safari') ||
    (device.os === 'android' && (device.osMajorVersion ?? 6) >= 6 && (device.browser === 'chrome' || device.browser === 'edge'));
  const base = appLink ? 'https://app.bankid.com/' : 'bankid:///';
  const redirect = orderHasReturnUrl ? 'null' : redirectFor(device, pageUrl);
  const url = `${base}?autostarttoken=${encodeURIComponent(autoStartToken)}&redirect=${redirect}`;
  const gestureBrowsers: DeviceBrowser[] = ['chrome', 'edge', 'samsung', 'brave'];
  return { url, requiresUserGesture: device.os === 'android' && gestureBrowsers.includes(device.browser) };
}

function redirectFor(device: LaunchDevice, pageUrl: string | undefined): string {
  if (device.os !== 'ios') return 'null';
  switch (device.browser) {
    case 'safari':
      if (pageUrl === undefined) throw new RangeError('iOS Safari needs pageUrl to come back to');
      return encodeURIComponent(pageUrl);
    case 'chrome':
      return encodeURIComponent('googlechromes://');
    case 'firefox':
      return encodeURIComponent('firefox://');
    default:
      return 'null';
  }
}

/** A best-effort reading of a browser's User-Agent into the launcher's device categories. */
export function deviceFromUserAgent(userAgent: string): LaunchDevice {
  const ios = /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && /Mobile\//.test(userAgent));
  const android = /Android (\d+)/.exec(userAgent);
  const os: DeviceOs = ios ? 'ios' : android ? 'android' : 'desktop';
  const device: LaunchDevice = { os, browser: browserFromUserAgent(userAgent, ios) };
  if (android?.[1] !== undefined) device.osMajorVersion = Number(android[1]);
  return device;
}

function browserFromUserAgent(userAgent: string, ios: boolean): DeviceBrowser {
  if (/EdgA?\/|EdgiOS\//.test(userAgent)) return 'edge';
  if (/OPR\/|OPiOS\//.test(userAgent)) return 'opera';
  if (/SamsungBrowser\//.test(userAgent)) return 'samsung';
  if (/Brave/.test(userAgent)) return 'brave';
  if (/FxiOS\/|Firefox\//.test(userAgent)) return 'firefox';
  if (/CriOS\/|Chrome\//.test(userAgent)) return 'chrome';
  if (ios && /Safari\//.test(userAgent)) return 'safari';
  if (/Version\/[\d.]+ .*Safari\//.test(userAgent)) return 'safari';
  return 'other';
}
