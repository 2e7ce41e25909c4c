import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/types.js';
import { createRateLimits, rateLimitSecretOf } from '../verifications/rate-limits.js';

/** A UTC day: the quotas' window. */
export const quotaWindowMs = 86_400_000;

/**
 * Per-sender daily quotas (SIGILL_QUOTA_MESSAGES_PER_DAY, SIGILL_QUOTA_SMS_PER_DAY,
 * SIGILL_QUOTA_EMAILS_PER_DAY),
 * counted in the store's rate-limit counters so every server process counts together.
 * Each call counts one; over the quota it throws 429 `quota_exceeded`.
 *
 * @example
 * const quotas = createQuotas(store, config);
 * await quotas.take('messages', sender.id, clock.now());
 */
export interface Quotas {
  take(kind: 'messages' | 'sms' | 'emails', senderId: string, now: number): Promise<void>;
}

export function createQuotas(store: Store, config: Config): Quotas {
  const limits = createRateLimits(store, quotaWindowMs, rateLimitSecretOf(config));
  const limitOf = { messages: config.quotaMessagesPerDay, sms: config.quotaSmsPerDay, emails: config.quotaEmailsPerDay };
  return {
    async take(kind, senderId, now) {
      if (await limits.take(`quota:${kind}`, senderId, limitOf[kind], now)) return;
      const what = { messages: 'messages', sms: 'SMS', emails: 'emails' }[kind];
      throw new AppError(429, 'quota_exceeded', `this sender has sent its ${limitOf[kind]} ${what} for today (UTC); try again tomorrow`);
    },
  };
}
