import { setTimeout as sleep } from 'node:timers/promises';
import type { SmsResult } from '../../shared/api.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { hashCapability, newCapability } from '../http/secrets.js';
import { advanceDeliveryById } from './advance.js';
import { reportPath } from './report-paths.js';
import { maskPhoneNumber, SmsProviderError } from './sms.js';
import { fitSms, SmsTextError, type FittedSms } from './sms-parts.js';

/** Attempts per SMS on transient errors, and the pause before the second and third. */
export const smsAttempts = 3;
const backoffMs = [250, 1000];
const leaseMarginMs = 5_000;

export interface RelayRequest {
  linkId: string;
  /** E.164 */
  to: string;
  text: string;
  /** The link as it stands in `text`. */
  link: string;
}

export interface RelayOptions {
  /** Pause between attempts (tests shorten it). */
  backoffMs?: readonly number[];
}

/**
 * Relays one SMS: lays it out in parts with the link whole in one (reflowed if need be), records a `pending` delivery
 * with a lease, hands the text to the provider with bounded in-memory retries, and moves
 * the delivery to `sent` or `failed` (with its webhook event, ./advance.ts). The text and number exist only in this call's
 * memory; a process that dies here leaves a pending row whose lease runs out, which
 * becomes `failed` (`interrupted`). Never retried after the provider accepted it.
 *
 * @example
 * await relaySms(deps, { linkId, to: '+46701234567', text, link }) // { status: 'sent', parts: 1, … }
 */
export async function relaySms(
  { store, sms, config, clock, logger }: Pick<AppDeps, 'store' | 'sms' | 'config' | 'clock' | 'logger'>,
  request: RelayRequest,
  options: RelayOptions = {},
): Promise<SmsResult> {
  let fitted: FittedSms;
  try {
    fitted = fitSms(request.text, request.link);
  } catch (error) {
    if (error instanceof SmsTextError) throw new AppError(400, error.code, error.message);
    throw error;
  }
  const { parts } = fitted;
  const deliveryId = newCapability();
  const provider = sms.name;
  const reportToken = provider === '46elks' ? newCapability(32) : null;
  const waits = options.backoffMs ?? backoffMs;
  // The whole hand-over fits in the lease, with a margin for the store; after it, the row counts as interrupted.
  const leaseMs = smsAttempts * config.sms.timeoutMs + waits.reduce((sum, ms) => sum + ms, 0) + leaseMarginMs;
  await store.deliveries.start({
    deliveryId,
    linkId: request.linkId,
    channel: 'sms',
    recipientHint: maskPhoneNumber(request.to),
    provider,
    reportTokenHash: reportToken ? hashCapability(reportToken) : null,
    parts,
    leaseUntil: clock.now() + leaseMs,
    at: clock.now(),
  });
  const reportUrl = reportUrlOf(config.publicOrigin, provider, deliveryId, reportToken);
  const message = { to: request.to, text: fitted.text, ...(reportUrl ? { reportUrl } : {}) };
  let failure: SmsProviderError | undefined;
  for (let attempt = 0; attempt < smsAttempts; attempt++) {
    if (attempt > 0) await sleep(waits[Math.min(attempt - 1, waits.length - 1)] ?? 0);
    try {
      const accepted = await sms.send(message);
      const providerParts = accepted?.parts ?? parts;
      const moved = await advanceDeliveryById(
        store,
        deliveryId,
        { status: 'sent', providerRefHash: accepted ? hashCapability(accepted.providerId) : null, parts: providerParts },
        clock.now(),
      );
      // Not moved: a report came first (fine), or the lease ran out and it shows interrupted although sent.
      if (!moved) logger.warn({ event: 'sms_sent_state_kept', provider }, 'SMS accepted, but its delivery had already moved on');
      logger.info({ event: 'sms_sent', provider, parts: providerParts, attempts: attempt + 1 }, 'SMS accepted by the provider');
      return { deliveryId, status: 'sent', reason: null, providerError: null, parts: providerParts };
    } catch (error) {
      failure =
        error instanceof SmsProviderError ? error : new SmsProviderError('rejected', 'transport_failed', null, 'the SMS transport failed unexpectedly');
      logger.warn({ event: 'sms_attempt_failed', provider, attempt: attempt + 1, reason: failure.reason, providerError: failure.providerError }, 'SMS attempt failed');
      if (failure.kind !== 'transient') break;
    }
  }
  const { reason, providerError } = failure!;
  await advanceDeliveryById(store, deliveryId, { status: 'failed', reason, providerError }, clock.now());
  return { deliveryId, status: 'failed', reason, providerError, parts };
}

/** Where the provider posts reports: 46elks gets the token as Basic credentials in the URL (it cannot sign). */
function reportUrlOf(origin: string, provider: string, deliveryId: string, reportToken: string | null): string | undefined {
  if (provider !== '46elks' && provider !== 'twilio') return undefined;
  const url = new URL(reportPath(provider, deliveryId), origin);
  if (reportToken) {
    url.username = 'sigill';
    url.password = reportToken;
  }
  return url.href;
}
