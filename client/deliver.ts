import { encodeBase64url } from '../shared/base64url.js';
import { parseLink } from '../shared/link.js';
import { ApiError } from './errors.js';
import { labelOf, type EmailDelivery, type PlannedLink } from './link-plan.js';
import type { SentLink, SentMessage } from './send.js';
import type { SenderApi } from './sender-api.js';
import type { SentLog, SentRecord } from './stores.js';
import { emailBody, smsText, type Language } from './texts.js';

/**
 * The end of a send, once every payload is held: remember the message in the sent log
 * (never a link), then relay each SMS link (and each email link with `email: 'server'`)
 * through the server, or hand it back to be written into an email. sendMessage ends with
 * it, and so does a send resumed after a restart (client/resume.ts).
 *
 * @example
 * const sent = await finishSend({ api, sent: log }, { messageId, createdAt, expiresAt, plans, links, errand, attachments: [], receiptKey, language: 'sv' });
 */
export interface UploadedMessage {
  messageId: string;
  createdAt: string;
  expiresAt: string;
  /** The checked plans, in the order of `links`. */
  plans: PlannedLink[];
  /** Each plan's link (they hold the secret: never stored). */
  links: string[];
  errand: string;
  attachments: string[];
  receiptKey: Uint8Array;
  language: Language;
  email?: EmailDelivery;
}

export async function finishSend(context: { api: SenderApi; sent: SentLog }, uploaded: UploadedMessage): Promise<SentMessage> {
  const { api } = context;
  const { messageId, plans, errand, language } = uploaded;
  const linkIds = uploaded.links.map((link) => encodeBase64url(parseLink(link).linkId));
  const record: SentRecord = {
    messageId,
    errand,
    attachments: uploaded.attachments,
    createdAt: uploaded.createdAt,
    receiptKey: encodeBase64url(uploaded.receiptKey),
    links: plans.map((plan, i) => ({ linkId: linkIds[i]!, label: labelOf(plan) })),
  };
  await context.sent.add(record);

  const links: SentLink[] = [];
  for (const [i, plan] of plans.entries()) {
    const link = uploaded.links[i]!;
    const linkId = linkIds[i]!;
    if (plan.channel === 'email' && uploaded.email !== 'server') {
      links.push({ ...plan, linkId, link, text: emailBody(errand, link, language), delivery: 'hand_over' });
      continue;
    }
    links.push(await relayLink(api, messageId, { ...plan, linkId, link, text: '', delivery: 'hand_over' }, errand, language));
  }
  return { messageId, createdAt: uploaded.createdAt, expiresAt: uploaded.expiresAt, links, record };
}

/** Relays one link's text through the server (SMS, or email with `email: 'server'`) and says what happened. */
export async function relayLink(api: SenderApi, messageId: string, planned: SentLink, errand: string, language: Language): Promise<SentLink> {
  const { channel, linkId, link } = planned;
  const what = channel === 'sms' ? 'SMS' : 'email';
  const text = channel === 'sms' ? smsText(errand, link, language) : emailBody(errand, link, language);
  const base = { ...planned, text };
  const failed = `${channel}_failed` as const;
  try {
    const result = channel === 'sms' ? await api.sendSms(messageId, { linkId, to: planned.to[0]!, text }) : await api.relay(messageId, { channel, linkId, to: planned.to[0]!, text, language });
    if (result.status === 'sent') return { ...base, delivery: `${channel}_sent` };
    const reason = result.reason ?? failed;
    const by = channel === 'sms' ? 'the SMS provider' : 'the mail relay';
    return { ...base, delivery: failed, error: { code: reason, message: `${by} did not take the ${what} (${reason}${result.providerError ? `, ${result.providerError}` : ''})` } };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'email_not_configured') {
      return { ...base, delivery: 'hand_over', error: { code: error.code, message: 'the server sends no email (no SMTP): hand this link over yourself' } };
    }
    return { ...base, delivery: failed, error: { code: error.code, message: error.message } };
  }
}
