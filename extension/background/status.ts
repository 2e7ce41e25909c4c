/**
 * The popup's view of sent messages: the server's per-recipient status joined with what
 * the extension remembers, and who read each link, from the sealed receipts opened with
 * the receipt key kept here.
 *
 * @example
 * const { messages } = await listSent();
 */
import type { MessageStatus } from '../../shared/api.js';
import { decodeBase64url } from '../../shared/base64url.js';
import { openReceipt } from '../../shared/receipts.js';
import { ExtensionError, type LinkView, type SentMessageView } from '../messages.js';
import { privateKeyFor } from './receipt-keys.js';
import { sentMessages, type SentRecord } from './sent-messages.js';
import { serverApi, type ServerApi } from './server-api.js';
import { loadSettings } from './settings.js';

async function readers(status: MessageStatus, receiptKey: string): Promise<Map<string, { name: string; at: string }[]>> {
  const byLink = new Map<string, { name: string; at: string }[]>();
  const privateKey = await privateKeyFor(receiptKey);
  if (!privateKey) return byLink;
  const messageId = decodeBase64url(status.messageId, 16, 'messageId');
  for (const sealed of status.receipts) {
    try {
      const receipt = await openReceipt(privateKey, messageId, decodeBase64url(sealed.receipt));
      if (receipt.linkId !== sealed.linkId) continue;
      byLink.set(receipt.linkId, [...(byLink.get(receipt.linkId) ?? []), { name: receipt.name, at: receipt.at }]);
    } catch {
      // A receipt that does not open with our key is not shown: it proves nothing.
    }
  }
  return byLink;
}

async function view(api: ServerApi, record: SentRecord): Promise<SentMessageView> {
  let status: MessageStatus;
  try {
    status = await api.message(record.messageId);
  } catch (error) {
    if (error instanceof ExtensionError && error.code === 'message_not_found') {
      return { messageId: record.messageId, errand: record.errand, createdAt: record.createdAt, expiresAt: null, state: 'unknown', links: [] };
    }
    throw error;
  }
  const reads = await readers(status, record.receiptKey);
  const links: LinkView[] = record.links.map((link) => {
    const linkStatus = status.links.find((candidate) => candidate.linkId === link.linkId);
    const delivered = linkStatus?.deliveries.find((delivery) => delivery.status === 'sent')?.at ?? null;
    return {
      linkId: link.linkId,
      label: link.label,
      channel: link.channel,
      delivered,
      openedAt: linkStatus?.openedAt ?? null,
      reads: reads.get(link.linkId) ?? [],
      deniedAttempts: linkStatus?.deniedAttempts ?? 0,
    };
  });
  return { messageId: record.messageId, errand: record.errand, createdAt: record.createdAt, expiresAt: status.expiresAt, state: status.state, links };
}

export async function listSent(): Promise<{ messages: SentMessageView[]; signedIn: boolean }> {
  const settings = await loadSettings();
  if (!settings.token) return { messages: [], signedIn: false };
  const api = serverApi(settings.serverUrl, settings.token);
  const records = (await sentMessages()).slice(0, 50);
  return { messages: await Promise.all(records.map((record) => view(api, record))), signedIn: true };
}

export async function revoke(messageId: string): Promise<void> {
  const settings = await loadSettings();
  if (!settings.token) throw new ExtensionError('not_signed_in', 'sign in first');
  if (!(await sentMessages()).some((record) => record.messageId === messageId)) {
    throw new ExtensionError('message_not_found', 'this extension did not send that message');
  }
  await serverApi(settings.serverUrl, settings.token).json('DELETE', `/api/v1/messages/${messageId}`);
}
