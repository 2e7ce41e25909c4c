/**
 * The storage layer: one async interface per capability, one back end per engine
 * (`libsql/` embedded, `postgres/` for scale-out). Route handlers and services call
 * these and hold no SQL. Records are plain camelCase objects; back ends turn rows into
 * them in one place. Errors are `StoreError`s (./errors.ts), never HTTP ones.
 *
 * A state change that must happen once (a payload counted, a read counted, a collect
 * claimed, a token revoked) is one conditional statement in every back end, never a
 * read followed by a write, so several server processes on one database agree.
 * Methods that change several tables are one transaction.
 *
 * Binary values are base64url TEXT. Capability ids and tokens arrive here already
 * hashed (`…Hash`); nothing a store is given is a secret in the clear.
 *
 * The webhook endpoints and outbox are in ./webhook-types.ts; the toolbox's users,
 * sessions, passkeys and sign-ins in ./account-types.ts.
 */
import type { BlobStore } from './blob-store.js';
import type { WebhookStore } from './webhook-types.js';
import type { AccountStore } from './account-types.js';

/** Times are milliseconds since the epoch. */
export type Millis = number;

export type MessageState = 'uploading' | 'ready' | 'revoked' | 'expired';

/** Authorization tags (base64url HMACs, PROTOCOL.md §6), or '*' for anyone BankID verifies. */
export type Readers = '*' | string[];

export interface MessageRecord {
  id: string;
  senderId: string;
  /** The sealed errand; '' once expired or revoked. */
  errand: string;
  authVerifier: string;
  receiptKey: string;
  state: MessageState;
  /** Ciphertext length of each payload, payload 0 first. */
  payloadLengths: number[];
  payloadsStored: number;
  readLimit: number | null;
  /** PROTOCOL.md §7.1: base64url(HPKE enc ‖ ciphertext) to the sender, or null. */
  senderCopy: string | null;
  /** The toolbox user who sent it; null when sent with an API token. */
  userId: string | null;
  createdAt: Millis;
  expiresAt: Millis;
  revokedAt: Millis | null;
  purgedAt: Millis | null;
}

export interface NewLink {
  id: string;
  readers: Readers;
  /** PROTOCOL.md §7.1: the sender's own name for this recipient, or null. */
  label: string | null;
}

export interface NewMessage {
  id: string;
  senderId: string;
  errand: string;
  authVerifier: string;
  receiptKey: string;
  payloadLengths: number[];
  readLimit: number | null;
  senderCopy: string | null;
  /** The toolbox user who sends it; null (or absent) for an API token. */
  userId?: string | null;
  createdAt: Millis;
  expiresAt: Millis;
  links: NewLink[];
}

export interface LinkRecord {
  id: string;
  messageId: string;
  readers: Readers;
  label: string | null;
  reads: number;
  openedAt: Millis | null;
  verificationStartedAt: Millis | null;
  readAt: Millis | null;
  deniedAttempts: number;
  lastDeniedAt: Millis | null;
}

/** A link with what recipients' requests need of its message and sender, read at once (the hot read). */
export interface LiveLinkRecord {
  id: string;
  reads: number;
  openedAt: Millis | null;
  messageId: string;
  state: MessageState;
  errand: string;
  expiresAt: Millis;
  readLimit: number | null;
  senderId: string;
  senderName: string;
  receiptKey: string;
  authVerifier: string;
  payloadLengths: number[];
}

/** pending: being handed to the provider (in memory only); sent: the provider accepted it; delayed: a mail relay reported a delay (DSN); delivered and failed are final. */
export type DeliveryState = 'pending' | 'sent' | 'delayed' | 'delivered' | 'failed';

export type DeliveryChannel = 'sms' | 'email';

export interface DeliveryRecord {
  /** Random, public (the report URL carries it). */
  deliveryId: string;
  linkId: string;
  channel: DeliveryChannel;
  /** Masked: an SMS's country code and last two digits; an email's first letter and domain. */
  recipientHint: string;
  status: DeliveryState;
  /** Why it failed: `interrupted`, `provider_timeout`, `provider_unavailable`, `provider_rejected`, `provider_answer_invalid`, `provider_report`; null otherwise. */
  reason: string | null;
  /** The provider's own error code (Twilio's ErrorCode, 46elks' status text), or null. */
  providerError: string | null;
  /** SMS parts (segments), once known. */
  parts: number | null;
  /** A pending delivery still being handed over ends by then; later it counts as interrupted. */
  leaseUntil: Millis | null;
  at: Millis;
}

export interface NewDelivery {
  deliveryId: string;
  linkId: string;
  channel: DeliveryChannel;
  recipientHint: string;
  /** `outbox`, `46elks` or `twilio`. */
  provider: string;
  /** SHA-256 of the per-delivery report token (46elks), or null. */
  reportTokenHash: string | null;
  parts: number;
  leaseUntil: Millis;
  at: Millis;
}

/** What a delivery report is checked against. */
export interface DeliveryReportTarget {
  deliveryId: string;
  provider: string;
  reportTokenHash: string | null;
  /** SHA-256 of the provider's message id, once it accepted the message. */
  providerRefHash: string | null;
  status: DeliveryState;
}

export interface DeliveryOutcome {
  status: Exclude<DeliveryState, 'pending'>;
  reason?: string | null;
  providerError?: string | null;
  /** Set when the provider accepted the message. */
  providerRefHash?: string | null;
  parts?: number | null;
}

export interface ReceiptRecord {
  linkId: string;
  /** base64url(enc ‖ ciphertext), HPKE to the message's receiptKey. */
  sealed: string;
  at: Millis;
}

/** A message with everything its sender's status shows, in creation order. */
export interface MessageDetails {
  message: MessageRecord;
  links: LinkRecord[];
  deliveries: DeliveryRecord[];
  receipts: ReceiptRecord[];
}

export interface MessageStore {
  /** Stores a new message and its links at once; `message_exists` or `link_exists` when an id is taken. */
  create(message: NewMessage): Promise<void>;
  get(messageId: string): Promise<MessageRecord | undefined>;
  details(messageId: string): Promise<MessageDetails | undefined>;
  /** A sender's messages created before `before`, newest first; with `userId`, only that user's. */
  listBySender(senderId: string, before: Millis, limit: number, userId?: string): Promise<MessageRecord[]>;
  /**
   * Counts payload `index` of an uploading message as stored, once per index; the count
   * that completes the message makes it ready, in the same transaction. 'duplicate' when
   * this payload was counted before (a second upload an object store did not refuse),
   * whatever the message's state now; otherwise undefined when the message is not
   * uploading. Either way nothing more is counted.
   */
  countStoredPayload(messageId: string, index: number): Promise<'uploading' | 'ready' | 'duplicate' | undefined>;
  /** Revokes (errand cleared) and deletes the links' verifications and release tokens; false when there is no such message. */
  revoke(messageId: string, now: Millis): Promise<boolean>;
  /** Revokes every live (ready or uploading) message of a sender, as `revoke` does, at once; returns them for the blob purge. */
  revokeBySender(senderId: string, now: Millis): Promise<{ messageId: string; payloadCount: number }[]>;
  markPurged(messageId: string, now: Millis): Promise<void>;
  /** Expires every live message whose time is up, as `revoke` does; returns their ids. */
  expireDue(now: Millis): Promise<string[]>;
  /** Expired and revoked messages whose payloads are not yet deleted. */
  listUnpurged(): Promise<{ messageId: string; payloadCount: number }[]>;
  /** Uploads begun before `createdBefore` and never finished. */
  listAbandoned(createdBefore: Millis): Promise<{ messageId: string; payloadCount: number }[]>;
  /** Deletes a message that is still uploading (with its links); false when it is not (it may just have become ready). */
  deleteUploading(messageId: string): Promise<boolean>;
  /** Forgets expired and revoked messages purged before `purgedBefore`; returns how many. */
  forgetPurged(purgedBefore: Millis): Promise<number>;
  /** Whether any message has this id (also expired ones), for the blob purge. */
  exists(messageId: string): Promise<boolean>;
}

export interface LinkStore {
  /** The hot read of every link fetch, verification start and payload fetch. */
  live(linkId: string): Promise<LiveLinkRecord | undefined>;
  get(linkId: string): Promise<LinkRecord | undefined>;
  /** Sets `openedAt` if it is not set; true when this call set it. */
  markOpened(linkId: string, now: Millis): Promise<boolean>;
  /**
   * The payload fetch's one point query: the release token with this hash, joined with
   * its link's message (state, expiry, payload lengths); undefined when there is none.
   */
  released(tokenHash: string): Promise<ReleasedLinkRecord | undefined>;
}

/** A release token and what a payload fetch needs of its link's message. */
export interface ReleasedLinkRecord {
  linkId: string;
  browserHash: string;
  tokenExpiresAt: Millis;
  messageId: string;
  state: MessageState;
  expiresAt: Millis;
  payloadLengths: number[];
}

export type VerificationStatus = 'pending' | 'failed' | 'denied' | 'approved' | 'exhausted';

export interface VerificationRecord {
  /** SHA-256 of the verificationId (the browser's capability). */
  idHash: string;
  linkId: string;
  browserHash: string;
  /** What the verification remembers, sealed under a key from the verificationId. */
  sealed: string;
  status: VerificationStatus;
  hintCode: string | null;
  startedAt: Millis;
  lastCollectAt: Millis;
  expiresAt: Millis;
}

export interface Approval {
  idHash: string;
  linkId: string;
  messageId: string;
  /** The message's read limit: the read is counted only while `reads < readLimit`. */
  readLimit: number | null;
  /** The verification's new sealed state (with the name and release token). */
  sealed: string;
  receipt: string;
  releaseToken: ReleaseTokenRecord & { tokenHash: string };
  now: Millis;
}

export interface VerificationStore {
  /** Stores a pending verification and sets the link's `verificationStartedAt` if unset. */
  start(verification: VerificationRecord): Promise<void>;
  get(idHash: string): Promise<VerificationRecord | undefined>;
  /**
   * Claims the next BankID collect as a lease: moves `lastCollectAt` from the value the
   * caller read to `leaseUntil` (in the future, so no one else claims until then) if the
   * verification is still pending. True for exactly one caller across all processes.
   */
  claimCollect(idHash: string, lastCollectAt: Millis, leaseUntil: Millis): Promise<boolean>;
  /** Ends the lease `leaseUntil` (if it is still this one): the collect happened at `now`. */
  endCollect(idHash: string, leaseUntil: Millis, now: Millis): Promise<void>;
  /** Sets the status of a pending verification; an ended one is never overwritten. */
  setStatus(idHash: string, status: VerificationStatus, hintCode: string | null): Promise<void>;
  /** Marks a pending verification denied and counts a denied attempt on the link. */
  deny(idHash: string, linkId: string, now: Millis): Promise<void>;
  /**
   * Counts a read on the link within the read limit (one conditional update); if it
   * was counted, stores the receipt and the release token and marks the verification
   * approved, all at once. 'exhausted' (and the verification marked so) when the limit is
   * reached; 'ended' (nothing counted) when the verification is no longer pending.
   */
  approve(approval: Approval): Promise<'approved' | 'exhausted' | 'ended'>;
  delete(idHash: string): Promise<void>;
  deleteExpired(now: Millis): Promise<number>;
}

export interface ReleaseTokenRecord {
  linkId: string;
  browserHash: string;
  expiresAt: Millis;
}

export interface ReleaseTokenStore {
  find(tokenHash: string): Promise<ReleaseTokenRecord | undefined>;
  deleteExpired(now: Millis): Promise<number>;
}

export interface SenderRecord {
  id: string;
  name: string;
  createdAt: Millis;
  revokedAt: Millis | null;
}

export interface SenderStore {
  /** A new sender with its first API token (hashed). */
  create(sender: SenderRecord, tokenHash: string): Promise<void>;
  /** Another token for a live sender; false when there is no live sender with this id. */
  addToken(senderId: string, tokenHash: string, now: Millis): Promise<boolean>;
  /** The sender of a live token, if the sender is live too. */
  byToken(tokenHash: string): Promise<SenderRecord | undefined>;
  /** Every sender, with its live token count, oldest first. */
  list(): Promise<(SenderRecord & { tokens: number })[]>;
  count(): Promise<number>;
  /** Revokes a sender and all its tokens at once; false when there is no live sender with this id. */
  revoke(senderId: string, now: Millis): Promise<boolean>;
  revokeToken(tokenHash: string, now: Millis): Promise<boolean>;
}

/**
 * SMS deliveries: one row per relay, moved only forward (pending → sent → delivered |
 * failed) by one conditional update each, so a replayed or late report changes nothing.
 */
export interface DeliveryStore {
  /** A new `pending` delivery (before the provider is called). */
  start(delivery: NewDelivery): Promise<void>;
  /** Moves a delivery forward; false when it is unknown or already at or past `outcome.status`. */
  advance(deliveryId: string, outcome: DeliveryOutcome, now: Millis): Promise<boolean>;
  reportTarget(deliveryId: string): Promise<DeliveryReportTarget | undefined>;
  /** Pending deliveries whose lease ended (their process died) become failed, reason `interrupted`; returns how many. */
  interruptStale(now: Millis): Promise<number>;
}

/** Fixed-window counters; keys arrive already keyed-hashed (verifications/rate-limits.ts). */
export interface RateLimitStore {
  /** Counts one more in the window of `windowMs` ending now (a new window when the last one ended); returns the count. */
  take(key: string, now: Millis, windowMs: number): Promise<number>;
  /** The count in the current window, counting nothing. */
  count(key: string, now: Millis, windowMs: number): Promise<number>;
  /** Deletes windows that began at or before `windowStartBefore`. */
  deleteBefore(windowStartBefore: Millis): Promise<number>;
}

export interface MetaStore {
  /** A random value made once per database under `name` (the first process to ask makes it; all see the same). */
  secret(name: string): Promise<string>;
}

/** One database behind every capability. */
/**
 * Which chunks of a payload being uploaded in chunks are held (shared/api/uploads.ts).
 * The chunk's bytes are a blob (`BlobStore.putChunk`); a row here says they are whole.
 */
export interface ChunkStore {
  /**
   * Records chunk `chunk` of payload `index` as held, once (a second add changes nothing),
   * only while the message is uploading; then returns how many of the payload's chunks
   * are held (counted after the row is committed, so of two processes adding the last two
   * chunks at once, at least the later one sees them all). Undefined when the message is
   * not uploading.
   */
  add(messageId: string, index: number, chunk: number): Promise<number | undefined>;
  /**
   * Claims the join of payload `index` until `until`, so one process joins it at a time
   * (one conditional upsert): true when this caller got it, false while another's claim
   * runs. A claim whose process died runs out at `until` and may be taken again.
   */
  claimJoin(messageId: string, index: number, now: Millis, until: Millis): Promise<boolean>;
  /** Gives a claim back at once (a join that failed), so the next PUT may join. */
  releaseJoin(messageId: string, index: number): Promise<void>;
  /** The payload's held chunks (ascending) and whether the payload is counted as stored (stored_payloads). */
  progress(messageId: string, index: number): Promise<{ chunks: number[]; complete: boolean }>;
}

export interface Store {
  readonly engine: 'libsql' | 'postgres';
  readonly messages: MessageStore;
  readonly chunks: ChunkStore;
  readonly links: LinkStore;
  readonly verifications: VerificationStore;
  readonly releaseTokens: ReleaseTokenStore;
  readonly senders: SenderStore;
  readonly deliveries: DeliveryStore;
  readonly rateLimits: RateLimitStore;
  readonly meta: MetaStore;
  readonly webhooks: WebhookStore;
  readonly accounts: AccountStore;
  /** Makes pending writes durable and closes connections. */
  close(): Promise<void>;
}

/** What the server opens at start: the database and the blobs (either may be remote). */
export interface Storage {
  store: Store;
  blobs: BlobStore;
}
