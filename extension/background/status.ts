/**
 * The popup's view of sent messages: client/'s status in one request for the list,
 * receipts, labels and the sender's copy opened with the key ring kept here.
 *
 * @example
 * const { messages } = await listSent();
 */
import { resendDelivery, sentMessages, type MessageView } from '../../client/index.js';
import { receiptKeys, sentLog } from '../storage/stores.js';
import { loadSettings, signedIn } from './settings.js';

/** Shown at most: the newest messages. */
const listed = 50;

export async function listSent(): Promise<{ messages: MessageView[]; signedIn: boolean }> {
  if (!(await loadSettings()).token) return { messages: [], signedIn: false };
  const { api } = await signedIn();
  return { messages: await sentMessages({ api, keys: receiptKeys, sent: sentLog }, { limit: listed }), signedIn: true };
}

/** Revokes one of the sender's messages (the server refuses another sender's). */
export async function revoke(messageId: string): Promise<void> {
  const { api } = await signedIn();
  await api.revoke(messageId);
}

/**
 * Resends one recipient's failed or interrupted delivery: client/resend.ts opens the link
 * from the recipient label sealed to the receipt key (it is never stored in the clear)
 * and relays it again, in the language the sender last picked for recipients.
 */
export async function resend(messageId: string, linkId: string): Promise<{ delivery: string }> {
  const { api } = await signedIn();
  const { recipientLanguage } = await loadSettings();
  const sent = await resendDelivery({ api, keys: receiptKeys }, messageId, linkId, { language: recipientLanguage });
  return { delivery: sent.delivery };
}
