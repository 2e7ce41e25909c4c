import { createHmac } from 'node:crypto';
import { encodeBase64url } from '../../shared/base64url.js';
import { AppError } from '../errors.js';
import { configuredKey } from '../http/key-file.js';
import type { Store } from '../store/types.js';

/**
 * Fixed-window counters kept in the database, so every server process counts together.
 * Keys (a link, an IP address) are stored only as HMACs under a key for the current
 * window, derived from a secret that is not in the database (SIGILL_RATE_LIMIT_SECRET,
 * or `rate-limit.key` in the data folder): whoever has the database cannot try every
 * IPv4 address against them. The key changes with each window, so a counter lives at
 * most one window and the same address gives unrelated keys in different windows.
 *
 * @example
 * const limits = createRateLimits(store, 600_000, rateLimitSecretOf(config));
 * if (!(await limits.take('start:ip', ip, 30, now))) throw tooManyAttempts('too many identifications started; wait a few minutes', 600_000, now);
 */
export interface RateLimits {
  /** Counts one more; false when that goes over `limit` in the current window. */
  take(kind: string, subject: string, limit: number, now: number): Promise<boolean>;
  /** Whether `subject` is already at `limit` in the current window (counts nothing). */
  exhausted(kind: string, subject: string, limit: number, now: number): Promise<boolean>;
}

export const rateLimitKeyFile = 'rate-limit.key';

/**
 * The configured secret, or the data folder's `rate-limit.key` (32 random bytes,
 * base64url, mode 0600), made by the first process that asks; the others read it.
 */
export function rateLimitSecretOf(config: { rateLimitSecret: string; dataDir: string }): string {
  return config.rateLimitSecret || encodeBase64url(configuredKey('', config.dataDir, rateLimitKeyFile));
}

/** The HMAC key of the window that `now` falls in. */
export function windowKey(secret: string, windowMs: number, now: number): Buffer {
  return createHmac('sha256', secret).update(`sigill rate-limit window ${Math.floor(now / windowMs)}`).digest();
}

/** Whole seconds until the window that `now` falls in ends (a refusal's Retry-After). */
export function secondsLeftInWindow(windowMs: number, now: number): number {
  return Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
}

/** Every refusal past a limit: 429 `too_many_attempts`, with Retry-After saying when the counting window ends. */
export function tooManyAttempts(message: string, windowMs: number, now: number): AppError {
  return new AppError(429, 'too_many_attempts', message, { 'Retry-After': String(secondsLeftInWindow(windowMs, now)) });
}

export function createRateLimits(store: Store, windowMs: number, secret: string): RateLimits {
  const keyOf = (kind: string, subject: string, now: number) =>
    `${kind}:${createHmac('sha256', windowKey(secret, windowMs, now)).update(subject).digest('base64url')}`;
  return {
    async take(kind, subject, limit, now) {
      return (await store.rateLimits.take(keyOf(kind, subject, now), now, windowMs)) <= limit;
    },
    async exhausted(kind, subject, limit, now) {
      return (await store.rateLimits.count(keyOf(kind, subject, now), now, windowMs)) >= limit;
    },
  };
}
