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
  /** The toolbox user the address belongs to (their messages, their receipt key), or null for the sender as a whole. */
  userId: string | null;
  /** The X25519 public key receipts are sealed to (base64url); null: the user's current receipt key. */
  receiptKey: string | null;
  createdAt: Millis;
}

/**
 * One incoming mail: `open` while the gateway works on it (or between an MTA's retries),
 * `done` once every recipient was handled. `delivered` are the positions (RCPT TO order)
 * of the recipients whose delivery was accepted, so that a retry after a 451 sends only
 * to the others; `messageIds` the messages the attempts made.
 */
export interface GatewayMailProgress {
  state: 'new' | 'open' | 'done';
  messageIds: string[];
  delivered: number[];
}

export interface GatewayStore {
  /** Allows a From address (hashed) to send as a sender; replaces an earlier mapping of that address. */
  allow(record: GatewaySenderRecord): Promise<void>;
  /** Removes a mapping; false when there was none. */
  disallow(addressHash: string): Promise<boolean>;
  /** The mapping of a From address, if its sender is live (and its user, if it names one, still exists: deleting a user deletes the mapping). */
  senderByAddress(addressHash: string): Promise<GatewaySenderRecord | undefined>;
  /**
   * Claims a mail for one attempt: 'new' (a row was made, or an open one whose last
   * attempt ended or went silent before `staleBefore` was taken over, with its progress),
   * 'open' (another attempt is at work on it now) or 'done' (handled before: answer 250
   * and do nothing). The claim is one conditional statement.
   */
  claimMail(mailKey: string, senderId: string, now: Millis, staleBefore: Millis): Promise<GatewayMailProgress>;
  /** Records a claimed mail's progress (the whole lists), and whether it is done; false when it was not open. */
  recordMail(mailKey: string, progress: { messageIds: string[]; delivered: number[]; done: boolean }, now: Millis): Promise<boolean>;
  /** Ends an attempt without finishing the mail (the gateway answered 451): the MTA's retry may claim it at once. */
  releaseMail(mailKey: string): Promise<void>;
}
