/**
 * One AES-256-GCM segment operation, as shared/stream.ts needs it. Two back ends
 * implement it with the platform's native AES-GCM: WebCrypto in browsers (web.ts),
 * node:crypto in Node (node.ts). package.json's `#aes-gcm` import picks one by the
 * `node` and `browser` conditions.
 *
 * A result may come synchronously (node:crypto) or as a promise (WebCrypto); either
 * way a segment that does not authenticate throws or rejects, and no plaintext of it
 * is returned.
 */
export interface SegmentCipher {
  /** The sealed segment, whole or as consecutive parts (body, then tag) not worth a copy to join. */
  seal(iv: Uint8Array<ArrayBuffer>, plaintext: Uint8Array<ArrayBuffer>): Parts | Promise<Parts>;
  open(iv: Uint8Array<ArrayBuffer>, sealed: Uint8Array<ArrayBuffer>): Uint8Array | Promise<Uint8Array>;
}

/** A 32-byte raw key, or an AES-GCM CryptoKey. */
export type SegmentKey = CryptoKey | Uint8Array;

/** Consecutive byte ranges of one result. */
export type Parts = Uint8Array | readonly Uint8Array[];
