import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { hashCapability, newCapability } from './secrets.js';

/**
 * Who is calling: the client's IP (for BankID's endUserIp and rate limits) and the
 * browser binding cookie that makes verification ids and release tokens usable only by
 * the browser that started them.
 */
const browserCookie = 'sigill_browser';

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    const address = getConnInfo(c).remote.address;
    if (address) return address.replace(/^::ffff:/, '');
  } catch {
    // app.request() in tests has no socket.
  }
  return '127.0.0.1';
}

/** The hash of this browser's binding cookie, setting a fresh cookie when there is none. */
export function bindBrowser(c: Context): string {
  let value = getCookie(c, browserCookie);
  if (!value || !/^[A-Za-z0-9_-]{22}$/.test(value)) {
    value = newCapability();
    setCookie(c, browserCookie, value, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
      path: '/api/v1',
    });
  }
  return hashCapability(value);
}

/** The hash of this browser's binding cookie, or undefined. */
export function browserOf(c: Context): string | undefined {
  const value = getCookie(c, browserCookie);
  return value ? hashCapability(value) : undefined;
}
