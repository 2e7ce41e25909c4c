import type { Delivery, LinkStatus, MessageStatus } from '../shared/api.js';
import { decodeBase64url } from '../shared/base64url.js';
import { openLabel, openSenderCopy, type RecipientLabel, type SenderCopy } from '../shared/labels.js';
import { openReceipt } from '../shared/receipts.js';
import { ApiError } from './errors.js';
import type { ReceiptKeyRing } from './receipt-keys.js';
import type { SenderApi } from './sender-api.js';
import type { SentLog, SentRecord } from './stores.js';

/**
 * The sender's view of what it sent, from one request for the message list: per
 * recipient, delivered, opened, verification started, who read and when (the sealed
 * receipts opened with the sender's key), denied attempts, and the recipient label
 * (sealed to the sender, PROTOCOL.md §7.1, else what the sent log remembers).
 *
 * @example
 * const views = await sentMessages({ api, keys, sent: log });
 * views[0].links[0].reads // [{ name: 'Anna Andersson', identity: 'se-pnr:…', at: '…' }]
 */
export interface Read {
  name: string;
  identity: string;
  at: string;
}

export interface LinkView {
  linkId: string;
  /** Who it went to (never the link); null when neither the server's sealed label nor the sent log knows. */
  label: RecipientLabel | null;
  /**
   * Its latest delivery failed (or was interrupted) and its sealed label carries the link,
   * so `resendDelivery` (client/resend.ts) can relay it again.
   */
  resendable: boolean;
  /** When the provider took the SMS (or, once delivered, when it reported so); null before (or for email). */
  deliveredAt: string | null;
  deliveryFailed: boolean;
  /** The latest delivery the server relayed to this recipient (SMS or email); null when none (a link handed over). */
  sms: SmsDeliveryView | null;
  /** Every delivery the server relayed to this recipient, oldest first, with its channel. */
  deliveries: DeliveryView[];
  openedAt: string | null;
  verificationStartedAt: string | null;
  readAt: string | null;
  /** Who read, opened from the receipts. */
  reads: Read[];
  /** Receipts the server has that this sender's keys cannot open. */
  unreadableReceipts: number;
  deniedAttempts: number;
  lastDeniedAt: string | null;
}

export interface SmsDeliveryView {
  deliveryId: string;
  /** pending: being handed over; sent: the provider took it; delivered: the phone has it; failed: see reason. */
  state: Delivery['status'];
  /** `interrupted` (a server restart cut the hand-over), `provider_report`, `provider_timeout`, …; null unless failed. */
  reason: string | null;
  providerError: string | null;
  parts: number | null;
  /** The masked number (country code and last two digits). */
  recipient: string;
  at: string;
  /** Failed, so the app should offer to send it again. */
  offerResend: boolean;
}

export interface DeliveryView extends SmsDeliveryView {
  channel: Delivery['channel'];
}

export interface MessageView {
  messageId: string;
  state: MessageStatus['state'];
  /** From the sealed sender's copy or the sent log; null when neither is available. */
  errand: string | null;
  attachments: string[];
  text: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  readLimit: number | null;
  links: LinkView[];
}

export interface StatusContext {
  api: SenderApi;
  keys: ReceiptKeyRing;
  sent?: SentLog;
}

async function opened<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch {
    return null; // Sealed to a key this sender does not hold, or altered: shows nothing.
  }
}

function deliveryView(delivery: Delivery): DeliveryView {
  return { ...smsView(delivery)!, channel: delivery.channel };
}

function smsView(delivery: Delivery | undefined): SmsDeliveryView | null {
  if (!delivery) return null;
  const { deliveryId, status, reason, providerError, parts, recipient, at } = delivery;
  return { deliveryId, state: status, reason, providerError, parts, recipient, at, offerResend: status === 'failed' };
}

/** A view never holds the link a label carries: only client/resend.ts opens it, to resend. */
function withoutLink({ channel, to, readers }: RecipientLabel): RecipientLabel {
  return { channel, to, readers };
}

/** One message's view from its status (no request): opens receipts, labels and the copy. */
export async function messageView(status: MessageStatus, keys: ReceiptKeyRing, record?: SentRecord): Promise<MessageView> {
  const privateKey = await keys.privateKeyFor(status.receiptKey);
  const messageId = decodeBase64url(status.messageId, 16, 'messageId');
  const reads = new Map<string, Read[]>();
  const unreadable = new Map<string, number>();
  for (const sealed of status.receipts) {
    const receipt = privateKey ? await opened(() => openReceipt(privateKey, messageId, decodeBase64url(sealed.receipt))) : null;
    if (!receipt || receipt.linkId !== sealed.linkId) {
      unreadable.set(sealed.linkId, (unreadable.get(sealed.linkId) ?? 0) + 1);
      continue;
    }
    reads.set(receipt.linkId, [...(reads.get(receipt.linkId) ?? []), { name: receipt.name, identity: receipt.identity, at: receipt.at }]);
  }
  const copy: SenderCopy | null =
    privateKey && status.senderCopy ? await opened(() => openSenderCopy(privateKey, messageId, decodeBase64url(status.senderCopy!))) : null;
  const sealedLabelOf = async (link: LinkStatus): Promise<RecipientLabel | null> =>
    privateKey && link.label ? await opened(() => openLabel(privateKey, messageId, decodeBase64url(link.linkId, 16), decodeBase64url(link.label!))) : null;
  const linkView = async (link: LinkStatus): Promise<LinkView> => {
    const sealed = privateKey && link.label ? await opened(() => openLabel(privateKey, messageId, decodeBase64url(link.linkId, 16), decodeBase64url(link.label!))) : null;
    const label = sealed ? withoutLink(sealed) : (record?.links.find((remembered) => remembered.linkId === link.linkId)?.label ?? null);
    return {
      linkId: link.linkId,
      label,
      resendable: sealed?.link !== undefined && sealed.channel !== 'link' && link.deliveries.at(-1)?.status === 'failed',
      deliveredAt: [...link.deliveries].reverse().find((delivery) => delivery.status === 'sent' || delivery.status === 'delivered')?.at ?? null,
      deliveryFailed: link.deliveries.length > 0 && link.deliveries.every((delivery) => delivery.status === 'failed'),
      sms: smsView(link.deliveries.at(-1)),
      deliveries: link.deliveries.map(deliveryView),
      openedAt: link.openedAt,
      verificationStartedAt: link.verificationStartedAt,
      readAt: link.readAt,
      reads: reads.get(link.linkId) ?? [],
      unreadableReceipts: unreadable.get(link.linkId) ?? 0,
      deniedAttempts: link.deniedAttempts,
      lastDeniedAt: link.lastDeniedAt,
    };
  };
  const links = await Promise.all(status.links.map(linkView));
  return {
    messageId: status.messageId,
    state: status.state,
    errand: copy?.errand ?? record?.errand ?? null,
    attachments: copy?.attachments ?? record?.attachments ?? [],
    text: copy?.text ?? null,
    createdAt: status.createdAt,
    expiresAt: status.expiresAt,
    revokedAt: status.revokedAt,
    readLimit: status.readLimit,
    links,
  };
}

/** The sender's messages, newest first, in one request. */
export async function sentMessages(context: StatusContext, query: { limit?: number; before?: string } = {}): Promise<MessageView[]> {
  const [{ messages }, records] = await Promise.all([context.api.messages(query), context.sent?.list() ?? []]);
  const byId = new Map(records.map((record) => [record.messageId, record]));
  return Promise.all(messages.map((status) => messageView(status, context.keys, byId.get(status.messageId))));
}

/** One message's view; `message_not_found` is an ApiError with status 404. */
export async function sentMessage(context: StatusContext, messageId: string): Promise<MessageView> {
  const [status, records] = await Promise.all([context.api.message(messageId), context.sent?.list() ?? []]);
  return messageView(status, context.keys, records.find((record) => record.messageId === messageId));
}

