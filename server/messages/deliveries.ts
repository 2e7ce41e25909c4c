import { parseMobileNumber } from '../../shared/phone-number.js';
import { FormatError } from '../../shared/errors.js';
import type { DeliveryRequest, SmsResult } from '../../shared/api.js';
import type { AppDeps } from '../deps.js';
import { relayEmailChannel } from '../delivery/email-channel.js';
import { relaySms } from '../delivery/relay.js';
import { linkIn } from '../delivery/sms-parts.js';
import { AppError, notFound } from '../errors.js';
import type { MessageRecord } from '../store/types.js';
import { replyToOf } from '../senders/reply-to.js';
import { webhookKey } from '../webhooks/secrets.js';
import type { Quotas } from './quotas.js';

/**
 * The relay both `POST …/deliveries` and `POST …/sms` use: the message must be ready, the
 * link must be one of its own and the text must carry it; then the channel's relay runs
 * (each counts against the sender's daily SMS or email quota); it queues `delivery.sent` or
 * `delivery.failed` with the state change (server/delivery/advance.ts). Neither the address nor the text is stored or logged.
 *
 * @example
 * await relayDelivery(deps, quotas, message, sender, { channel: 'email', linkId, to: 'anna@example.se', text })
 */
export async function relayDelivery(
  deps: Pick<AppDeps, 'store' | 'sms' | 'mail' | 'config' | 'clock' | 'logger'>,
  quotas: Quotas,
  message: MessageRecord,
  sender: { id: string; name: string },
  request: DeliveryRequest,
): Promise<SmsResult> {
  const { store, config, clock } = deps;
  const { channel, linkId, to, text } = request;
  if (message.state !== 'ready') throw new AppError(409, 'message_not_ready', `the message is ${message.state}`);
  if (channel === 'sms' && config.smsTransport === 'none') throw new AppError(501, 'sms_not_configured', 'this server has no SMS provider (SIGILL_SMS_PROVIDER=none)');
  if (channel === 'email' && !deps.mail) throw new AppError(501, 'email_not_configured', 'this server sends no email (SIGILL_SMTP_URL is not set)');
  if ((await store.links.get(linkId))?.messageId !== message.id) throw notFound('link_not_found', 'the message has no such link');
  let result: SmsResult;
  if (channel === 'sms') {
    if (text.length > 918) throw new AppError(400, 'sms_too_long', 'an SMS text may be at most 918 characters');
    const link = linkIn(text, linkId);
    if (!link) throw new AppError(400, 'sms_link_missing', 'the SMS text must carry this recipient’s link');
    const phone = mobileNumberOf(to);
    await quotas.take('sms', sender.id, clock.now());
    // A provider that fails is a delivery state, never a 5xx.
    result = await relaySms(deps, { linkId, to: phone, text, link });
  } else {
    await quotas.take('emails', sender.id, clock.now());
    const replyTo = await replyToOf(store.senders, webhookKey(config), sender.id);
    result = await relayEmailChannel(deps, { name: sender.name, ...(replyTo ? { replyTo } : {}) }, { linkId, to, text, ...(request.language ? { language: request.language } : {}) });
  }
  return result;
}

function mobileNumberOf(to: string): string {
  try {
    return parseMobileNumber(to);
  } catch (error) {
    throw new AppError(400, error instanceof FormatError ? error.code : 'phone_invalid', error instanceof Error ? error.message : 'bad number');
  }
}
