import type { SmsResult } from '../../shared/api.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { isEmailAddress } from './email-config.js';
import type { EmailLanguage } from './email-message.js';
import { relayEmail } from './email-relay.js';
import { linkIn } from './sms-parts.js';

/** The longest prepared email text the relay takes (the errand, a sentence and the link fit many times over). */
export const maxEmailTextLength = 10_000;

export interface EmailChannelRequest {
  linkId: string;
  to: string;
  text: string;
  language?: EmailLanguage;
}

/**
 * The relay endpoint's email channel: checks the request (its link's message is the
 * caller's to check, as for SMS) and relays it with relayEmail. Errors are 4xx with their
 * own codes and never carry the address or the text; 501 without SIGILL_SMTP_URL. The
 * sender's `replyTo` (server/senders/reply-to.ts), when it has one, becomes Reply-To.
 *
 * @example
 * await relayEmailChannel(deps, sender, { linkId, to: 'anna@example.se', text: emailBody(errand, link, 'sv'), language: 'sv' })
 */
export async function relayEmailChannel(
  deps: Pick<AppDeps, 'store' | 'mail' | 'config' | 'clock' | 'logger'>,
  sender: { name: string; replyTo?: string },
  request: EmailChannelRequest,
): Promise<SmsResult> {
  if (!deps.mail) throw new AppError(501, 'email_not_configured', 'this server sends no email (SIGILL_SMTP_URL is not set)');
  const to = request.to.trim();
  if (!isEmailAddress(to)) throw new AppError(400, 'email_invalid', 'the recipient is not an email address such as name@example.se');
  if (request.text.length > maxEmailTextLength) throw new AppError(400, 'email_too_long', `the email text may be at most ${maxEmailTextLength} characters`);
  const link = linkIn(request.text, request.linkId);
  if (!link) throw new AppError(400, 'email_link_missing', 'the email text must carry this recipient’s link');
  const { store, mail, config, clock, logger } = deps;
  return relayEmail(
    { store, mail, email: config.email, clock, logger },
    { linkId: request.linkId, to, text: request.text, link, language: request.language ?? 'sv', senderName: sender.name, ...(sender.replyTo ? { replyTo: sender.replyTo } : {}) },
  );
}
