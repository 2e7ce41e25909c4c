import type { Millis, SenderRecord } from './types.js';

/**
 * The toolbox's accounts (server/accounts/): a sender's users, their sessions, passkeys
 * and PRF-wrapped receipt keys, BankID sign-ins and WebAuthn challenges.
 *
 * Nothing here is a secret or an identity in the clear: a user's personal identity number
 * arrives as `pnrHash`, HMAC-SHA256 under a key from configuration (never from this
 * database); session ids, sign-in ids and challenges arrive as SHA-256 hashes; what a
 * BankID sign-in must remember (orderRef, QR secrets) is sealed under a key derived from
 * the browser's signInId; the receipt key is only the public key and copies wrapped under
 * passkeys' PRF outputs, which the server never sees.
 *
 * State changes that must happen once (a session touched within its timeouts, a challenge
 * taken, an approved sign-in turned into a session, a passkey's counter moved on) are
 * one conditional statement each.
 */
export type UserRole = 'admin' | 'member';

export interface UserRecord {
  id: string;
  senderId: string;
  name: string;
  role: UserRole;
  pnrHash: string;
  createdAt: Millis;
}

export interface SessionRecord {
  /** SHA-256 of the cookie's value. */
  idHash: string;
  userId: string;
  createdAt: Millis;
  lastSeenAt: Millis;
}

/** A live session with its user and the user's live sender. */
export interface SessionUser {
  session: SessionRecord;
  user: UserRecord;
  sender: SenderRecord;
}

export interface PasskeyRecord {
  /** base64url credential id. */
  id: string;
  userId: string;
  name: string;
  /** base64url COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  prf: boolean;
  createdAt: Millis;
  lastUsedAt: Millis | null;
}

export interface WrappedReceiptKeyRecord {
  credentialId: string;
  salt: string;
  iv: string;
  ciphertext: string;
}

export interface ReceiptKeyRecord {
  publicKey: string;
  wrapped: WrappedReceiptKeyRecord[];
}

export type SignInStatus = 'pending' | 'failed' | 'unknown_user' | 'approved' | 'used';

export interface SignInRecord {
  /** SHA-256 of the signInId (the browser's capability). */
  idHash: string;
  /** orderRef and QR secrets, sealed under a key from the signInId. */
  sealed: string;
  status: SignInStatus;
  hintCode: string | null;
  /** Set when BankID identified a user. */
  userId: string | null;
  startedAt: Millis;
  lastCollectAt: Millis;
  expiresAt: Millis;
}

export type ChallengePurpose = 'authentication' | 'registration';

export interface ChallengeRecord {
  /** SHA-256 of the WebAuthn challenge. */
  challengeHash: string;
  purpose: ChallengePurpose;
  /** The user registering; null for a sign-in. */
  userId: string | null;
  expiresAt: Millis;
}

export interface TokenRecord {
  /** Public id: the first 22 characters of the token's hash (reveals nothing of the token). */
  id: string;
  name: string;
  createdAt: Millis;
}

export interface AccountStore {
  /** A new user; `user_exists` when this person is already a user of this sender. */
  createUser(user: UserRecord): Promise<void>;
  user(userId: string): Promise<UserRecord | undefined>;
  /** The users with this identity in live senders (one person may work for several), oldest first. */
  usersByPnrHash(pnrHash: string): Promise<UserRecord[]>;
  /** A sender's users with their passkey counts, oldest first. */
  listUsers(senderId: string): Promise<(UserRecord & { passkeys: number })[]>;
  /** Changes a user of this sender; undefined when there is none. */
  updateUser(senderId: string, userId: string, change: { name?: string; role?: UserRole }): Promise<UserRecord | undefined>;
  /** Deletes a user of this sender with their sessions, passkeys and receipt key; their messages stay the sender's. */
  deleteUser(senderId: string, userId: string): Promise<boolean>;
  countAdmins(senderId: string): Promise<number>;

  createSession(session: SessionRecord): Promise<void>;
  /**
   * The session if it was last seen after `idleAfter` and created after `createdAfter`,
   * its user and its live sender; moves `lastSeenAt` to `now` in the same statement.
   */
  touchSession(idHash: string, now: Millis, idleAfter: Millis, createdAfter: Millis): Promise<SessionUser | undefined>;
  deleteSession(idHash: string): Promise<boolean>;
  /** Deletes sessions idle since `idleBefore` or created before `createdBefore`. */
  deleteExpiredSessions(idleBefore: Millis, createdBefore: Millis): Promise<number>;

  /** `passkey_exists` when the credential id is registered already. */
  addPasskey(passkey: PasskeyRecord): Promise<void>;
  passkey(credentialId: string): Promise<PasskeyRecord | undefined>;
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
  /** Records a sign-in: the counter must move forward (or stay 0 for authenticators without one); false otherwise. */
  usePasskey(credentialId: string, counter: number, now: Millis): Promise<boolean>;
  /** Deletes a passkey and its wrapped receipt key copy. */
  deletePasskey(userId: string, credentialId: string): Promise<boolean>;

  receiptKey(userId: string): Promise<ReceiptKeyRecord | null>;
  setReceiptKey(userId: string, receiptKey: ReceiptKeyRecord, now: Millis): Promise<void>;

  addChallenge(challenge: ChallengeRecord): Promise<void>;
  /** Takes a live challenge once (deleted as it is taken). */
  takeChallenge(challengeHash: string, purpose: ChallengePurpose, now: Millis): Promise<ChallengeRecord | undefined>;

  startSignIn(signIn: SignInRecord): Promise<void>;
  signIn(idHash: string): Promise<SignInRecord | undefined>;
  /** As VerificationStore.claimCollect: true for exactly one caller. */
  claimSignInCollect(idHash: string, lastCollectAt: Millis, leaseUntil: Millis): Promise<boolean>;
  endSignInCollect(idHash: string, leaseUntil: Millis, now: Millis): Promise<void>;
  /** A pending sign-in's latest BankID hint code. */
  setSignInHint(idHash: string, hintCode: string): Promise<void>;
  /** Moves a pending sign-in to its outcome; an ended one is never changed. */
  endSignIn(idHash: string, status: Exclude<SignInStatus, 'used'>, hintCode: string | null, userId: string | null): Promise<void>;
  /** Approved → used, once: the user id for the one caller that makes the session. */
  useSignIn(idHash: string): Promise<string | undefined>;
  deleteSignIn(idHash: string): Promise<void>;
  /** Forgets ended sign-ins and challenges past their time. */
  deleteExpired(now: Millis): Promise<number>;

  /** A sender's live API tokens, oldest first. */
  listTokens(senderId: string): Promise<TokenRecord[]>;
  /** A new named token of a live sender; false when there is none. */
  addToken(senderId: string, tokenHash: string, name: string, now: Millis): Promise<boolean>;
  revokeToken(senderId: string, tokenId: string, now: Millis): Promise<boolean>;
}
