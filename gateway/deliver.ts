import type { GatewayClaim, GatewayConfirmationRequest, GatewayProgressRequest } from '../shared/api/gateway.js';
import type { RecipientAddress } from '../shared/address.js';
import { decodeBase64url } from '../shared/base64url.js';
import type { ReceiptKeyPair } from '../shared/receipts.js';
import { ApiError } from '../client/errors.js';
import { createHttp, type Fetch } from '../client/http.js';
import type { PlannedLink } from '../client/link-plan.js';
import type { ReceiptKeyRing } from '../client/receipt-keys.js';
import { sendMessage, type SentLink } from '../client/send.js';
import { senderApi } from '../client/sender-api.js';
import { memoryStores } from '../client/stores.js';
import { MailRefused, type GatewayMail } from './mail.js';
import { confirmation, type ConfirmationLine, type Language } from './texts.js';

/**
 * One mail, end to end, exactly as a sending browser does it but in this process's
 * memory: claim the mail on the server by its Message-ID (an MTA's retry of a mail
 * handled before does nothing), seal one message for the recipients not yet handed over
 * (client/'s sendMessage: sealed here, links relayed by the server's SMS and email), record
 * the progress, and email the sender a confirmation. Returns the 250 text, or throws
 * MailRefused: 451 while a delivery failed for a reason that may pass (the retry sends only
 * to the recipients still left), 5xx for good.
 */
export interface DeliverContext {
  serverUrl: string;
  key: string;
  language: Language;
  fetch?: Fetch;
}

/** Failures a retry may get past (the provider or the server was away, a quota for today). */
const transient = new Set(['provider_timeout', 'provider_unavailable', 'server_unavailable', 'server_unreachable', 'quota_exceeded', 'transport_failed', 'interrupted']);

/** The gateway holds no receipt private key: only the sender's public key, which messages are sealed to. */
function publicKeyOnly(receiptKey: string): ReceiptKeyRing {
  const refuse = () => Promise.reject(new Error('the gateway holds no receipt private key'));
  return {
    current: async () => ({ receiptKey: decodeBase64url(receiptKey) }) as ReceiptKeyPair,
    privateKeyFor: async () => undefined,
    exportBackup: refuse,
    importBackup: refuse,
  };
}

function refusalOf(error: unknown): MailRefused {
  if (error instanceof MailRefused) return error;
  if (error instanceof ApiError) {
    if (error.status === 413 || error.code === 'message_too_large') return new MailRefused(552, '5.3.4 the mail is larger than this server takes');
    if (error.status === 400) return new MailRefused(550, `5.6.0 the mail could not become a message (${error.code})`);
    if (error.status === 429) return new MailRefused(451, '4.7.0 the sender’s quota for today is used up; try again later');
    if (error.code === 'receipt_key_missing') return new MailRefused(451, '4.7.0 the sender has no receipt key yet: sign in to the Sigill toolbox once; the mail is tried again');
  }
  return new MailRefused(451, '4.3.0 the Sigill server is not available; try again later');
}

export async function deliverMail(context: DeliverContext, recipients: RecipientAddress[], mail: GatewayMail): Promise<string> {
  const gateway = createHttp({ baseUrl: context.serverUrl, token: context.key, ...(context.fetch ? { fetch: context.fetch } : {}) });
  let claim: GatewayClaim;
  try {
    claim = await gateway.json<GatewayClaim>('POST', '/gateway/mails', { from: mail.from, mailId: mail.messageId });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'gateway_sender_unknown') throw new MailRefused(550, '5.7.1 this From address may not send through the Sigill gateway');
    throw refusalOf(error);
  }
  if (claim.state === 'done') return '2.0.0 delivered before (this Message-ID was handled already)';
  if (claim.state === 'open') throw new MailRefused(451, '4.3.0 this mail is being delivered right now; try again later');
  const mailPath = `/gateway/mails/${claim.mailKey}`;
  // These answer 204 or 202, without a body.
  const call = (method: string, path: string, body?: unknown) =>
    gateway.request(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const record = (progress: GatewayProgressRequest) => call('PUT', mailPath, progress);
  try {
    const left = recipients.map((address, position) => ({ address, position })).filter(({ position }) => !claim.delivered.includes(position));
    const links: PlannedLink[] = left.map(({ address }) => ({ channel: address.channel, to: [address.address], readers: address.authorization }));
    const api = senderApi({ baseUrl: context.serverUrl, token: claim.token!, ...(context.fetch ? { fetch: context.fetch } : {}) });
    const sent = await sendMessage(
      { api, keys: publicKeyOnly(claim.receiptKey), sent: memoryStores().sent, uploads: 'stream' },
      { links, errand: mail.errand, text: mail.text, ...(mail.html ? { html: mail.html } : {}), attachments: mail.attachments, language: context.language, email: 'server' },
    );
    const accepted = (link: SentLink) => link.delivery === 'sms_sent' || link.delivery === 'email_sent';
    const delivered = [...claim.delivered, ...left.filter((_, i) => accepted(sent.links[i]!)).map(({ position }) => position)].sort((a, b) => a - b);
    const retry = sent.links.some((link) => !accepted(link) && transient.has(link.error?.code ?? ''));
    await record({ messageIds: [...claim.messageIds, sent.messageId], delivered, done: !retry });
    if (retry) throw new MailRefused(451, '4.3.0 a recipient’s SMS or email could not be handed over yet; the retry sends only to the recipients left');
    const lines: ConfirmationLine[] = recipients.map((address, position) => {
      const i = left.findIndex((entry) => entry.position === position);
      const link = i === -1 ? ({ channel: address.channel, to: [address.address], readers: address.authorization, linkId: '', link: '', text: '', delivery: 'hand_over' } as SentLink) : sent.links[i]!;
      return { link, accepted: i === -1 || accepted(link) };
    });
    const { subject, text } = confirmation(mail.errand, lines, mail.wantsLinks, context.language);
    const request: GatewayConfirmationRequest = { to: mail.from, subject, text };
    // The messages are stored and delivered: a confirmation that fails is not worth a retry of the whole mail.
    await call('POST', `${mailPath}/confirmation`, request).catch(() => undefined);
    return `2.0.0 sent securely to ${recipients.length} recipient(s)`;
  } catch (error) {
    await call('DELETE', mailPath).catch(() => undefined);
    throw refusalOf(error);
  }
}
