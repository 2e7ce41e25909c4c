import { describe, expect, it } from 'vitest';
import { deviceFromUserAgent, launchUrl } from '../../../shared/bankid/launch-url.js';

const autoStartToken = '7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6';
const userAgents = {
  iosSafari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  iosChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1',
  iosFirefox: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/124.0 Mobile/15E148 Safari/605.1.15',
  androidChrome: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36',
  androidFirefox: 'Mozilla/5.0 (Android 14; Mobile; rv:124.0) Gecko/124.0 Firefox/124.0',
  android5Chrome: 'Mozilla/5.0 (Linux; Android 5.1; Nexus 5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0 Mobile Safari/537.36',
  desktopChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
};
const pageUrl = 'https://sigill.test/r/abc?n=1';

describe('autostart launch URL', () => {
  it('uses the app link and returns to the page on iOS Safari', () => {
    expect(launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgents.iosSafari), pageUrl })).toEqual({
      url: `https://app.bankid.com/?autostarttoken=${autoStartToken}&redirect=${encodeURIComponent(pageUrl)}`,
      requiresUserGesture: false,
    });
  });

  it("returns to the browser's own scheme on iOS Chrome and Firefox", () => {
    expect(launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgents.iosChrome) }).url).toBe(`bankid:///?autostarttoken=${autoStartToken}&redirect=googlechromes%3A%2F%2F`);
    expect(launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgents.iosFirefox) }).url).toBe(`bankid:///?autostarttoken=${autoStartToken}&redirect=firefox%3A%2F%2F`);
  });

  it('uses the app link with redirect=null and a tap on Android 6+ Chrome', () => {
    expect(launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgents.androidChrome), pageUrl })).toEqual({
      url: `https://app.bankid.com/?autostarttoken=${autoStartToken}&redirect=null`,
      requiresUserGesture: true,
    });
  });

  it('uses bankid:/// on Android Firefox, old Android and desktop, always redirect=null', () => {
    for (const userAgent of [userAgents.androidFirefox, userAgents.android5Chrome, userAgents.desktopChrome]) {
      expect(launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgent), pageUrl }).url).toBe(`bankid:///?autostarttoken=${autoStartToken}&redirect=null`);
    }
  });

  it('leaves the return to the order returnUrl when one was sent', () => {
    expect(launchUrl({ autoStartToken, device: deviceFromUserAgent(userAgents.iosSafari), pageUrl, orderHasReturnUrl: true }).url).toBe(
      `https://app.bankid.com/?autostarttoken=${autoStartToken}&redirect=null`,
    );
  });

  it('refuses iOS Safari without a page to return to, and a malformed token', () => {
    expect(() => launchUrl({ autoStartToken, device: { os: 'ios', browser: 'safari' } })).toThrow(RangeError);
    expect(() => launchUrl({ autoStartToken: 'a&redirect=evil', device: { os: 'desktop', browser: 'chrome' } })).toThrow(RangeError);
  });
});
