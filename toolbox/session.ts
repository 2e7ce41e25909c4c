/**
 * What the toolbox knows while a user is signed in: the sender (its name and the public
 * origin links point at), client/'s SenderApi on the session cookie, the receipt key
 * ring, and the messages sent from this tab (client/'s sent log, in memory: the server
 * keeps every label and the sender's copy sealed to the receipt key, so nothing of a
 * message needs to stay in this browser).
 *
 * @example
 * const session = await startSession();
 * session.sender.name // 'Sigill demo'
 */
import { memoryStores, receiptKeyRing, type ReceiptKeyRing, type SenderApi, type SentLog } from '../client/index.js';
import type { Sender } from '../shared/api.js';
import { api } from './api.js';

export interface Session {
  api: SenderApi;
  sender: Sender;
  origin: string;
  keys: ReceiptKeyRing;
  sent: SentLog;
}

/** Throws ApiError 401 when nobody is signed in. */
export async function startSession(): Promise<Session> {
  const sender = await api.me();
  const stores = memoryStores();
  return { api, sender, origin: sender.origin, keys: receiptKeyRing(stores.keys), sent: stores.sent };
}
