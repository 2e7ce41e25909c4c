import type { Millis } from './types.js';

/**
 * The mail gateway's records (gateway/, server/gateway/). Nothing here is an address or
 * a Message-ID in the clear: a sender's From address is stored as HMAC-SHA256 under the
 * account key from configuration (`addressHash`), and a mail is known by the key the
 * gateway derives from its Message-ID and sender (`mailKey`), so a retried mail finds
 * what its first delivery did.
 */
export interface GatewaySenderRecord {
  addressHash: string;
  senderId: string;
  /** The X25519 public key receipts of the sender's gateway mail are sealed to (base64url). */
  receiptKey: string;
  createdAt: Millis;
}

/** One incoming mail: `open` while the gateway works on it, `done` once every recipient's message is stored and its delivery accepted. */
export interface GatewayMailRecord {
  mailKey: string;
  senderId: string;
  state: 'open' | 'done';
  messageIds: string[];
  updatedAt: Millis;
}

export interface GatewayStore {
  /** Allows a From address (hashed) to send as a sender; replaces an earlier mapping of that address. */
  allow(record: GatewaySenderRecord): Promise<void>;
  /** Removes a mapping; false when there was none. */
  disallow(addressHash: string): Promise<boolean>;
  /** The mapping of a From address, if its sender is live. */
  senderByAddress(addressHash: string): Promise<GatewaySenderRecord | undefined>;
  /**
   * Claims a mail for the gateway: 'new' (a row was made, or a stale open one taken over
   * after `staleBefore`), 'open' (another attempt is at work on it now) or 'done' (it was
   * delivered before: answer 250 and do nothing). One conditional statement.
   */
  claimMail(mailKey: string, senderId: string, now: Millis, staleBefore: Millis): Promise<'new' | 'open' | 'done'>;
  /** Marks a claimed mail done with the messages it made; false when it was not open. */
  completeMail(mailKey: string, messageIds: string[], now: Millis): Promise<boolean>;
  /** Gives up an open mail so that the MTA's retry starts afresh. */
  releaseMail(mailKey: string): Promise<void>;
}
