/**
 * "Send secure", in the worker: seal the message with shared/, create it on the server,
 * upload every payload, relay the SMS copies, remember it, and hand the finished body
 * (errand, one sentence, the email link) to the content script to write into the
 * composer. Email recipients share one link whose readers list them all; each SMS
 * recipient gets a link of its own.
 *
 * @example
 * const { messageId } = await sendSecure(request, session);
 */
import type { MessageStatus } from '../../shared/api.js';
import { checkIdentityOrPattern } from '../../shared/authorization.js';
import { encodeBase64url } from '../../shared/base64url.js';
import { checkErrand } from '../../shared/content.js';
import { parseLink } from '../../shared/link.js';
import { parseMobileNumber } from '../../shared/phone-number.js';
import { sealMessage, type AttachmentSource, type SealedPayload } from '../../shared/seal-message.js';
import { askContent, ExtensionError, type LinkPlan, type SendRequest } from '../messages.js';
import { discardAttachments, loadAttachments } from '../storage/attachments.js';
import { emailBody, smsText } from './body-text.js';
import { currentReceiptKeys } from './receipt-keys.js';
import { rememberSent } from './sent-messages.js';
import { serverApi } from './server-api.js';
import type { ComposeSession } from './sessions.js';
import { signedIn } from './settings.js';

function checkReaders(plan: LinkPlan): '*' | string[] {
  if (plan.readers === '*') return '*';
  if (!Array.isArray(plan.readers) || plan.readers.length === 0) {
    throw new ExtensionError('readers_missing', 'say who may read: personal identity numbers, a leading part and *, or * for anyone');
  }
  return [...new Set(plan.readers.map((reader) => checkIdentityOrPattern(reader)))];
}

/** Ciphertext as one Blob: browsers cannot stream a request body to an HTTP/1.1 server. */
async function sealedBlob(payload: SealedPayload): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const reader = payload.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(new Uint8Array(value));
  }
  const blob = new Blob(parts);
  if (blob.size !== payload.length) throw new ExtensionError('seal_length_mismatch', 'an attachment changed while it was sealed; try again');
  return blob;
}

export async function sendSecure(request: SendRequest, session: ComposeSession): Promise<{ messageId: string; smsSent: number }> {
  const settings = await signedIn();
  const errand = checkErrand(request.errand);
  if (errand.trim() === '') throw new ExtensionError('errand_missing', 'write an errand: it tells the recipient what the message is about');
  if (typeof request.text !== 'string') throw new ExtensionError('text_invalid', 'the message text is missing');
  const links: { plan: '*' | string[]; channel: 'email' | 'sms'; label: string; to?: string }[] = [];
  if (request.email && request.email.addresses.length > 0) {
    links.push({ plan: checkReaders(request.email), channel: 'email', label: request.email.addresses.join(', ') });
  }
  for (const sms of request.sms) {
    const to = parseMobileNumber(sms.to);
    links.push({ plan: checkReaders(sms), channel: 'sms', label: to, to });
  }
  if (links.length === 0) throw new ExtensionError('recipients_missing', 'add a recipient in To, or an SMS recipient');

  const stored = await loadAttachments(request.sessionId, request.attachmentCount);
  const attachments: AttachmentSource[] = stored.map((file) => ({ name: file.name, type: file.type, size: file.size, open: () => file.blob.stream() }));
  const receiptKeys = await currentReceiptKeys();
  const sealed = await sealMessage({
    origin: settings.serverUrl,
    errand,
    text: request.text,
    attachments,
    recipients: links.map((link) => ({ readers: link.plan })),
    receiptKey: receiptKeys.receiptKey,
    ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
    ...(request.readLimit !== undefined ? { readLimit: request.readLimit } : {}),
  });
  const api = serverApi(settings.serverUrl, settings.token);
  const { messageId } = sealed.request;
  const created = await api.json<MessageStatus>('POST', '/api/v1/messages', sealed.request);
  for (const payload of sealed.payloads) {
    await api.upload(`/api/v1/messages/${messageId}/payloads/${payload.index}`, await sealedBlob(payload));
  }
  await rememberSent({
    messageId,
    errand,
    createdAt: created.createdAt,
    receiptKey: encodeBase64url(receiptKeys.receiptKey),
    links: links.map((link, i) => ({ linkId: sealed.request.recipients[i]!.linkId, channel: link.channel, label: link.label })),
  });

  let smsSent = 0;
  for (const [i, link] of links.entries()) {
    if (link.channel !== 'sms' || link.to === undefined) continue;
    const linkId = encodeBase64url(parseLink(sealed.links[i]!).linkId);
    await api.json('POST', `/api/v1/messages/${messageId}/sms`, { linkId, to: link.to, text: smsText(errand, sealed.links[i]!) });
    smsSent++;
  }

  const emailIndex = links.findIndex((link) => link.channel === 'email');
  const bodyText = emailIndex >= 0 ? emailBody(errand, sealed.links[emailIndex]!) : '';
  await askContent({ tabId: session.tabId, frameId: session.frameId }, 'content/finish', {
    sessionId: request.sessionId,
    bodyText,
    removeAddresses: request.removeAddresses,
  });
  await discardAttachments(request.sessionId);
  return { messageId, smsSent };
}
