import { randomUUID } from 'node:crypto';
import { hashCapability, newCapability } from '../http/secrets.js';
import type { SenderRecord, SenderStore, Storage } from '../store/types.js';

/**
 * Sender accounts (the name recipients see) and their API tokens. A token is shown once
 * when made and stored only as its SHA-256 hash.
 *
 * @example
 * const { sender, token } = await createSender(store.senders, 'Bostadsbolaget', Date.now());
 * (await senderForToken(store.senders, token))?.name // 'Bostadsbolaget'
 */
export type Sender = SenderRecord;

const tokenPrefix = 'sgl_';
export const newToken = () => tokenPrefix + newCapability(32);

export async function createSender(senders: SenderStore, name: string, now: number): Promise<{ sender: Sender; token: string }> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw new RangeError('a sender name has 1 to 100 characters');
  const sender: Sender = { id: randomUUID(), name: trimmed, createdAt: now, revokedAt: null };
  const token = newToken();
  await senders.create(sender, hashCapability(token));
  return { sender, token };
}

/** A new API token for a live sender; returns the token itself (never stored), or undefined when there is no such live sender. */
export async function createToken(senders: SenderStore, senderId: string, now: number): Promise<string | undefined> {
  const token = newToken();
  return (await senders.addToken(senderId, hashCapability(token), now)) ? token : undefined;
}

/** The sender a token belongs to, if the token and the sender are both live. */
export async function senderForToken(senders: SenderStore, token: string): Promise<Sender | undefined> {
  if (!token.startsWith(tokenPrefix)) return undefined;
  return senders.byToken(hashCapability(token));
}

export const listSenders = (senders: SenderStore) => senders.list();
export const countSenders = (senders: SenderStore) => senders.count();

/**
 * Revokes a sender and all its tokens, and every live message it sent: their links
 * answer 410 and their ciphertext is deleted at once, as when the sender revokes one
 * (a revoked sender can no longer do so itself). `revoked` is false when there was no
 * live sender with this id; its messages are revoked either way.
 */
export async function revokeSender({ store, blobs }: Storage, senderId: string, now: number): Promise<{ revoked: boolean; messages: number }> {
  const revoked = await store.senders.revoke(senderId, now);
  const messages = await store.messages.revokeBySender(senderId, now);
  for (const { messageId, payloadCount } of messages) {
    await blobs.deleteMessage(messageId, payloadCount);
    await store.messages.markPurged(messageId, now);
  }
  return { revoked, messages: messages.length };
}

/** Revokes one token, given the token itself. */
export const revokeToken = (senders: SenderStore, token: string, now: number) => senders.revokeToken(hashCapability(token), now);
