import { randomUUID } from 'node:crypto';
import { hashCapability, newCapability } from '../http/secrets.js';
import type { SenderRecord, SenderStore } from '../store/types.js';

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
const newToken = () => tokenPrefix + newCapability(32);

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

/** Revokes a sender and all its tokens. Returns false when there is no such sender. */
export const revokeSender = (senders: SenderStore, senderId: string, now: number) => senders.revoke(senderId, now);

/** Revokes one token, given the token itself. */
export const revokeToken = (senders: SenderStore, token: string, now: number) => senders.revokeToken(hashCapability(token), now);
