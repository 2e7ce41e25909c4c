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
import { serverApi } from './server-api.js';
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

function view(record: SentRecord, status: MessageStatus | undefined, reads: Map<string, { name: string; at: string }[]>): SentMessageView {
  if (!status) {
    return { messageId: record.messageId, errand: record.errand, createdAt: record.createdAt, expiresAt: null, state: 'unknown', links: [] };
  }
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

/** Shown at most: the newest messages, fetched in one request. */
const listed = 50;

/** The popup's list: one request for the sender's newest messages, joined with what was sent from here. */
export async function listSent(): Promise<{ messages: SentMessageView[]; signedIn: boolean }> {
  const settings = await loadSettings();
  if (!settings.token) return { messages: [], signedIn: false };
  const api = serverApi(settings.serverUrl, settings.token);
  const records = (await sentMessages()).slice(0, listed);
  if (records.length === 0) return { messages: [], signedIn: true };
  const { messages } = await api.json<{ messages: MessageStatus[] }>('GET', `/api/v1/messages?limit=${listed}`);
  const byId = new Map(messages.map((status) => [status.messageId, status]));
  // Missing from a full page means older than it, not gone from the server.
  const shown = messages.length < listed ? records : records.filter((record) => byId.has(record.messageId));
  const views = await Promise.all(
    shown.map(async (record) => {
      const status = byId.get(record.messageId);
      return view(record, status, status ? await readers(status, record.receiptKey) : new Map());
    }),
  );
  return { messages: views, signedIn: true };
}

export async function revoke(messageId: string): Promise<void> {
  const settings = await loadSettings();
  if (!settings.token) throw new ExtensionError('not_signed_in', 'sign in first');
  if (!(await sentMessages()).some((record) => record.messageId === messageId)) {
    throw new ExtensionError('message_not_found', 'this extension did not send that message');
  }
  await serverApi(settings.serverUrl, settings.token).json('DELETE', `/api/v1/messages/${messageId}`);
}
