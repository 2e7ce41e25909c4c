/**
 * "Send secure", in the worker: the send dialog's recipients become the link plan
 * (client/link-plan.ts: each SMS recipient a link of its own, the email recipients one
 * shared link, since the webmail sends the one email), client/'s sendMessage seals,
 * creates, uploads, remembers and relays the SMS, and the finished body (errand, one
 * sentence, the email link) goes to the content script to write into the composer.
 *
 * @example
 * const { messageId } = await sendSecure(request, session);
 */
import { languages, planLinks, sendMessage } from '../../client/index.js';
import { askContent, ExtensionError, type SendRequest } from '../messages.js';
import { discardAttachments, loadAttachments } from '../storage/attachments.js';
import { receiptKeys, sentLog } from '../storage/stores.js';
import { closeSession, type ComposeSession } from './sessions.js';
import { saveSettings, signedIn } from './settings.js';

export async function sendSecure(request: SendRequest, session: ComposeSession): Promise<{ messageId: string; smsSent: number; smsFailed: number }> {
  const { api } = await signedIn();
  if (!languages.includes(request.language)) throw new ExtensionError('request_invalid', 'the language of what recipients get is sv or en');
  if (!Array.isArray(request.recipients) || request.recipients.length === 0) {
    throw new ExtensionError('recipients_missing', 'add a recipient in To, or an SMS recipient');
  }
  // 'server': the email recipients' readers differ and the sender chose separate emails, one link each.
  const email = request.emailDelivery === 'server' ? 'server' : 'webmail';
  const links = planLinks(
    request.recipients.map((recipient) => ({ channel: recipient.channel, address: recipient.address, authorization: recipient.readers })),
    { email },
  );
  const stored = await loadAttachments(request.sessionId, request.attachmentCount);
  const sent = await sendMessage(
    { api, keys: receiptKeys, sent: sentLog, uploads: 'blob' },
    {
      links,
      errand: request.errand,
      text: request.text,
      attachments: stored.map((file) => ({ name: file.name, type: file.type, size: file.size, open: () => file.blob.stream() })),
      language: request.language,
      email,
      ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
      ...(request.readLimit !== undefined ? { readLimit: request.readLimit } : {}),
    },
  );
  // With separate emails, the server sent them (or the send reports them failed): nothing is written into this email.
  const shared = email === 'webmail' ? sent.links.find((link) => link.channel === 'email') : undefined;
  const smsSent = sent.links.filter((link) => link.delivery === 'sms_sent').length;
  const smsFailed = sent.links.filter((link) => link.delivery === 'sms_failed').length;
  await saveSettings({ recipientLanguage: request.language });
  // Sent: the session ends before its frame closes, so the frame's going is no alarm.
  await closeSession(request.sessionId);
  await discardAttachments(request.sessionId);
  await askContent({ tabId: session.tabId, frameId: session.frameId }, 'content/finish', {
    sessionId: request.sessionId,
    bodyText: shared?.text ?? '',
    // An email the server could not send stays in To (the popup shows it failed, with Send again).
    removeAddresses: request.removeAddresses.filter((address) => !sent.links.some((link) => link.channel === 'email' && link.to.includes(address) && link.delivery !== 'email_sent')),
    smsFailed,
  });
  return { messageId: sent.messageId, smsSent, smsFailed };
}
