/**
 * The store's own typed errors. Back ends (libsql, PostgreSQL, the data folder, S3)
 * throw these and nothing HTTP; `server/http/errors.ts` maps each code to a response
 * in one place. Messages never hold an id that is a capability, a token, a key or any
 * value from a row: only what went wrong.
 *
 * @example
 * throw new StoreError('payload_exists', 'this payload is already stored');
 * if (error instanceof StoreError && error.code === 'message_exists') …
 */
export type StoreErrorCode =
  /** A blob for this message and index exists already (blobs are never replaced). */
  | 'payload_exists'
  /** A blob's body went past its declared length (the rest is not read). */
  | 'payload_too_long'
  /** A blob's body ended before its declared length. */
  | 'length_mismatch'
  /** The blob or row asked for is not there. */
  | 'not_found'
  /** A new message's id is in use. */
  | 'message_exists'
  /** A new message's linkId is in use. */
  | 'link_exists'
  /** A new user's identity is already a user of this sender. */
  | 'user_exists'
  /** A new passkey's credential id is registered already. */
  | 'passkey_exists'
  /** Another writer changed the row first (a lost race the caller may report or retry). */
  | 'conflict'
  /** The read or write was cancelled (AbortSignal or stream cancel). */
  | 'aborted'
  /** The database or object store cannot be reached or refused the request. */
  | 'unavailable';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
