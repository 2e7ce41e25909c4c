import type { MessageDetails } from '../store/types.js';
import type { MessageStatus } from '../../shared/api.js';

export type { MessageStatus };

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

/** The sender's view of a message (GET /messages/{id}), made from what the store holds. */
/** `now`: a pending delivery whose lease ended by then shows as failed, `interrupted` (the purge job stores that). */
export function messageStatus({ message, links, deliveries, receipts }: MessageDetails, now = Date.now()): MessageStatus {
  const status = {
    messageId: message.id,
    state: message.state,
    errand: message.errand,
    createdAt: iso(message.createdAt)!,
    expiresAt: iso(message.expiresAt)!,
    revokedAt: iso(message.revokedAt),
    readLimit: message.readLimit,
    payloads: message.payloadLengths.map((length, index) => ({ index, length })),
    payloadsStored: message.payloadsStored,
    receiptKey: message.receiptKey,
    // PROTOCOL.md §7.1, sealed to the sender; null when the client sent none.
    senderCopy: message.senderCopy,
    links: links.map((link) => ({
      linkId: link.id,
      label: link.label,
      anyone: link.readers === '*',
      tagCount: link.readers === '*' ? 0 : link.readers.length,
      deliveries: deliveries
        .filter((d) => d.linkId === link.id)
        .map((d) => {
          const interrupted = d.status === 'pending' && d.leaseUntil !== null && d.leaseUntil < now;
          return {
            deliveryId: d.deliveryId,
            channel: d.channel,
            recipient: d.recipientHint,
            status: interrupted ? ('failed' as const) : d.status,
            reason: interrupted ? 'interrupted' : d.reason,
            providerError: d.providerError,
            parts: d.parts,
            at: iso(d.at)!,
          };
        }),
      openedAt: iso(link.openedAt),
      verificationStartedAt: iso(link.verificationStartedAt),
      readAt: iso(link.readAt),
      reads: link.reads,
      deniedAttempts: link.deniedAttempts,
      lastDeniedAt: iso(link.lastDeniedAt),
    })),
    receipts: receipts.map((r) => ({ linkId: r.linkId, receipt: r.sealed, at: iso(r.at)! })),
  };
  return status;
}
