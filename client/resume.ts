import { decodeBase64url } from '../shared/base64url.js';
import { buildLink } from '../shared/link.js';
import type { ByteSource } from './byte-source.js';
import { finishSend } from './deliver.js';
import { clientError } from './errors.js';
import type { EmailDelivery, PlannedLink } from './link-plan.js';
import type { SendContext, SentMessage } from './send.js';
import type { Language } from './texts.js';
import { uploadChunked } from './upload.js';

/**
 * Goes on with a send that stopped after the message was created (the app was killed, the
 * machine slept): asks the server which chunks it holds, seals and sends only the missing
 * ones from the same files, then ends as sendMessage does (sent log, relays). What it
 * needs is what an app kept from sendMessage's `onCreated`: the message id, S, each
 * link's id and plan, and the attachments. The content document (payload 0, the message
 * text) is not kept by apps: if the server does not hold it whole, the send cannot be
 * resumed (`resume_text_missing`) and is sent again.
 *
 * @example
 * const sent = await resumeSend({ api, keys, sent: log, onProgress }, { messageId, secret, origin, links, contentSize, attachments, errand, language: 'sv', email: 'server' });
 */
export interface ResumedSend {
  messageId: string;
  /** S, the message secret. */
  secret: Uint8Array;
  /** Where the links point (the origin they were sealed with). */
  origin: string;
  /** Each link's id and plan, in the message's order. */
  links: (PlannedLink & { linkId: string })[];
  /** The content document's plaintext size (payload 0). */
  contentSize: number;
  /** Each attachment's plaintext, payload 1 onwards, the same bytes as when the send began. */
  attachments: { source: ByteSource; name: string }[];
  errand: string;
  language: Language;
  email?: EmailDelivery;
}

export async function resumeSend(context: SendContext, resumed: ResumedSend): Promise<SentMessage> {
  const { api, signal } = context;
  const { messageId, secret } = resumed;
  const status = await api.message(messageId);
  if (status.state !== 'uploading' && status.state !== 'ready') {
    throw clientError('resume_message_gone', `the message is ${status.state} on the server; it cannot be resumed: send it again`);
  }
  if (status.state === 'uploading') {
    const content = await api.payloadUpload(messageId, 0);
    if (!content.complete) throw clientError('resume_text_missing', 'the send stopped before the server held the message text; it cannot be resumed: send it again');
    const unreadable: ByteSource = { size: resumed.contentSize, read: () => Promise.reject(clientError('resume_text_missing', 'the message text is not kept for a resume')) };
    await uploadChunked(
      api,
      { messageId, secret, payloads: [{ index: 0, source: unreadable }, ...resumed.attachments.map((attachment, i) => ({ index: i + 1, source: attachment.source }))] },
      {
        ...(context.inFlight !== undefined ? { inFlight: context.inFlight } : {}),
        ...(context.uploads === 'blob' ? { bodies: 'blob' as const } : {}),
        ...(context.onProgress ? { onProgress: context.onProgress } : {}),
        ...(context.onChunk ? { onChunk: context.onChunk } : {}),
        ...(signal ? { signal } : {}),
      },
    );
  }
  await context.onUploaded?.(messageId);
  return finishSend(context, {
    messageId,
    createdAt: status.createdAt,
    expiresAt: status.expiresAt,
    plans: resumed.links.map(({ channel, to, readers }) => ({ channel, to, readers })),
    links: resumed.links.map((link) => buildLink(resumed.origin, decodeBase64url(link.linkId, 16, 'linkId'), secret)),
    errand: resumed.errand,
    attachments: resumed.attachments.map((attachment) => attachment.name),
    receiptKey: decodeBase64url(status.receiptKey, 32, 'receiptKey'),
    language: resumed.language,
    ...(resumed.email ? { email: resumed.email } : {}),
  });
}
