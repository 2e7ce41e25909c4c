/**
 * What the toolbox knows while a user is signed in: the user and their sender (from
 * /api/v1/me), the public origin links point at and the message size limit (GET
 * /senders/me), client/'s SenderApi on the session cookie, the receipt keys
 * (toolbox/keys/: PRF-wrapped on the server or kept in this browser), and client/'s sent
 * log in memory (the server keeps every label and the sender's copy sealed to the receipt
 * key, so no message needs to stay here).
 *
 * @example
 * const session = await startSession(signedIn);
 * session.me.user.role // 'admin'
 */
import { memoryStores, type ReceiptKeyRing, type SenderApi, type SentLog } from '../client/index.js';
import type { Me } from '../shared/api/accounts.js';
import { api } from './api.js';
import type { ToolboxKeys } from './keys/index.js';
import type { AccountsApi, SignedIn } from './signin/index.js';

export interface Session {
  api: SenderApi;
  accounts: AccountsApi;
  me: Me;
  origin: string;
  /** The server's limit for all payloads of one message together (ciphertext bytes). */
  maxMessageBytes: number;
  toolboxKeys: ToolboxKeys;
  keys: ReceiptKeyRing;
  sent: SentLog;
}

export async function startSession(signedIn: SignedIn): Promise<Session> {
  const { origin, maxMessageBytes } = await api.me();
  return { api, accounts: signedIn.api, me: signedIn.me, origin, maxMessageBytes, toolboxKeys: signedIn.keys, keys: signedIn.keys.ring, sent: memoryStores().sent };
}
