import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { SmsResult } from '../../shared/api.js';
import { hashCapability, newCapability } from '../http/secrets.js';
import { advanceDeliveryById, type DeliveryStores } from './advance.js';
import type { EmailSettings } from './email-config.js';
import { emailParts, type EmailLanguage } from './email-message.js';
import { EmailSendError, type EmailTransport } from './email.js';

/** Attempts per email on transient errors (no connection, a 4xx), and the pauses between them. */
export const emailAttempts = 3;
const backoffMs = [500, 2000];

export interface EmailRelayRequest {
  linkId: string;
  /** A checked address (isEmailAddress). */
  to: string;
  /** The prepared text (client/texts.ts emailBody): the errand first, and the link. */
  text: string;
  /** The link as it stands in `text`. */
  link: string;
  language: EmailLanguage;
  /** The sender's name, shown as From's display name. */
  senderName: string;
  /** The sender's own address for Reply-To, when it has one. */
  replyTo?: string;
}

export interface EmailRelayDeps {
  store: DeliveryStores;
  mail: EmailTransport;
  email: Pick<EmailSettings, 'bounceDomain'>;
  clock: { now(): number };
  logger: Logger;
  /** Pause between attempts (tests shorten it). */
  backoffMs?: readonly number[];
  /** How long one attempt may take at most, for the lease. */
  attemptMs?: number;
}

/** An address as the sender's status shows it: the first letter and the domain. */
export function maskEmailAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, 1)}…@${address.slice(at + 1).toLowerCase()}`;
}

/** The VERP envelope sender of one delivery: the delivery id and a token only its bounce can know. */
export function bounceAddress(deliveryId: string, token: string, bounceDomain: string): string {
  return `bounce+${deliveryId}.${token}@${bounceDomain}`;
}

/**
 * Relays one email: records a `pending` delivery with a lease and the hash of a fresh
 * bounce token, hands the message to the SMTP relay with bounded in-memory retries on
 * transient errors, and moves the delivery to `sent` or `failed` (a 5xx: `provider_rejected`
 * with the SMTP code), with its webhook event (./advance.ts). Never retried after the relay accepted it or refused it for good.
 *
 * @example
 * await relayEmail(deps, { linkId, to: 'anna@example.se', text, link, language: 'sv', senderName: 'Bostadsbolaget AB' })
 */
export async function relayEmail(deps: EmailRelayDeps, request: EmailRelayRequest): Promise<SmsResult> {
  const { store, mail, clock, logger } = deps;
  const waits = deps.backoffMs ?? backoffMs;
  const deliveryId = newCapability();
  const bounceToken = newCapability(32);
  const leaseMs = emailAttempts * (deps.attemptMs ?? 90_000) + waits.reduce((sum, ms) => sum + ms, 0) + 60_000;
  await store.deliveries.start({
    deliveryId,
    linkId: request.linkId,
    channel: 'email',
    recipientHint: maskEmailAddress(request.to),
    provider: mail.name,
    reportTokenHash: hashCapability(bounceToken),
    parts: 1,
    leaseUntil: clock.now() + leaseMs,
    at: clock.now(),
  });
  const { subject, text, html } = emailParts(request.text, request.link, request.language);
  const message = {
    to: request.to,
    fromName: request.senderName,
    ...(request.replyTo ? { replyTo: request.replyTo } : {}),
    subject,
    text,
    html,
    envelopeFrom: bounceAddress(deliveryId, bounceToken, deps.email.bounceDomain),
    dsnId: deliveryId,
  };
  let failure: EmailSendError | undefined;
  for (let attempt = 0; attempt < emailAttempts; attempt++) {
    if (attempt > 0) await sleep(waits[Math.min(attempt - 1, waits.length - 1)] ?? 0);
    try {
      const accepted = await mail.send(message);
      await advanceDeliveryById(store, deliveryId, { status: 'sent', providerRefHash: hashCapability(accepted.messageId), parts: 1 }, clock.now());
      logger.info({ event: 'email_sent', transport: mail.name, attempts: attempt + 1 }, 'email accepted by the relay');
      return { deliveryId, status: 'sent', reason: null, providerError: null, parts: 1 };
    } catch (error) {
      failure = error instanceof EmailSendError ? error : new EmailSendError('rejected', 'provider_rejected', null, 'the email transport failed unexpectedly');
      logger.warn({ event: 'email_attempt_failed', transport: mail.name, attempt: attempt + 1, reason: failure.reason, providerError: failure.providerError }, 'email attempt failed');
      if (failure.kind !== 'transient') break;
    }
  }
  const { reason, providerError } = failure!;
  await advanceDeliveryById(store, deliveryId, { status: 'failed', reason, providerError }, clock.now());
  return { deliveryId, status: 'failed', reason, providerError, parts: 1 };
}
