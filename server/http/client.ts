import { isIP } from 'node:net';
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

/** The socket's peer, without the IPv4-mapped prefix; 127.0.0.1 under app.request(), which has no socket. */
function socketIp(c: Context): string {
  try {
    const address = getConnInfo(c).remote.address;
    if (address && isIP(address)) return address.replace(/^::ffff:(?=\d+\.)/, '');
  } catch {
    // app.request() in tests has no socket.
  }
  return '127.0.0.1';
}

/**
 * The client's IP address, always a valid IPv4 or IPv6 address. Behind `proxyHops`
 * trusted proxies it is the X-Forwarded-For entry the outermost of them appended (that
 * many from the right): entries further left are whatever the client sent, and never
 * count. A missing or malformed entry falls back to the socket's address (the proxy).
 *
 * @example
 * clientIp(c, 1) // "203.0.113.7" for "X-Forwarded-For: 6.6.6.6, 203.0.113.7"
 */
export function clientIp(c: Context, proxyHops: number): string {
  if (proxyHops > 0) {
    const entries = (c.req.header('x-forwarded-for') ?? '').split(',');
    const entry = entries.length >= proxyHops ? entries[entries.length - proxyHops]!.trim() : '';
    if (isIP(entry)) return entry.replace(/^::ffff:(?=\d+\.)/, '');
  }
  return socketIp(c);
}

/**
 * The hash of this browser's binding cookie, setting a fresh cookie when there is none.
 * `secure` comes from the public origin (https behind a TLS proxy), not from the scheme
 * this server sees.
 */
export function bindBrowser(c: Context, secure: boolean): string {
  let value = getCookie(c, browserCookie);
  if (!value || !/^[A-Za-z0-9_-]{22}$/.test(value)) {
    value = newCapability();
    setCookie(c, browserCookie, value, { httpOnly: true, sameSite: 'Strict', secure, path: '/api/v1' });
  }
  return hashCapability(value);
}

/** The hash of this browser's binding cookie, or undefined. */
export function browserOf(c: Context): string | undefined {
  return browserHashOf(c.req.header('cookie'));
}

// Only a value this server sets (22 base64url characters) can match a stored hash.
const browserCookieValue = new RegExp(`(?:^|;)\\s*${browserCookie}\\s*=\\s*([A-Za-z0-9_-]{22})\\s*(?:;|$)`);

/**
 * The same from a request's Cookie header (also the payload route served before Hono):
 * one regular expression instead of parsing every cookie, a tenth of the cost.
 */
export function browserHashOf(cookieHeader: string | undefined): string | undefined {
  const value = cookieHeader === undefined ? undefined : browserCookieValue.exec(cookieHeader)?.[1];
  return value === undefined ? undefined : hashCapability(value);
}
