import { createHmac } from 'node:crypto';
import type { Store } from '../store/types.js';

/**
 * Fixed-window counters kept in the database, so every server process counts together.
 * Keys (a link, an IP address) are stored as HMACs under a per-database secret.
 *
 * @example
 * const limits = createRateLimits(store, 600_000);
 * if (!(await limits.take('start:ip', ip, 30, now))) throw new AppError(429, …);
 */
export interface RateLimits {
  /** Counts one more; false when that goes over `limit` in the current window. */
  take(kind: string, subject: string, limit: number, now: number): Promise<boolean>;
  /** Whether `subject` is already at `limit` in the current window (counts nothing). */
  exhausted(kind: string, subject: string, limit: number, now: number): Promise<boolean>;
}

export function createRateLimits(store: Store, windowMs: number): RateLimits {
  // Read once, on first use (every process of one database gets the same secret).
  let secret: Promise<string> | undefined;
  const keyOf = async (kind: string, subject: string) => {
    secret ??= store.meta.secret('rate_limit_key').catch((error: unknown) => {
      secret = undefined; // ask again next time
      throw error;
    });
    return `${kind}:${createHmac('sha256', await secret).update(subject).digest('base64url')}`;
  };
  return {
    async take(kind, subject, limit, now) {
      return (await store.rateLimits.take(await keyOf(kind, subject), now, windowMs)) <= limit;
    },
    async exhausted(kind, subject, limit, now) {
      return (await store.rateLimits.count(await keyOf(kind, subject), now, windowMs)) >= limit;
    },
  };
}
