import { Aes256Gcm, CipherSuite } from '@hpke/core';
import { DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/dhkem-x25519';
import { checkIdentity } from './authorization.js';
import { FormatError } from './errors.js';
import { messageIdBytes } from './keys.js';

/**
 * Read receipts sealed to the sender (PROTOCOL.md §7): HPKE base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, info `sigill/v1/receipt`,
 * aad = messageId. The sealed form is enc ‖ ciphertext.
 *
 * @example
 * const { receiptKey, privateKey } = await generateReceiptKeyPair();
 * const sealed = await sealReceipt(receiptKey, messageId, { linkId, identity, name, at });
 * const receipt = await openReceipt(privateKey, messageId, sealed);
 */
export interface Receipt {
  /** base64url linkId of the link that was read. */
  linkId: string;
  /** `se-pnr:` + 12 digits. */
  identity: string;
  /** The name BankID gave, "Given Surname". */
  name: string;
  /** RFC 3339 time of reading. */
  at: string;
}

export interface ReceiptKeyPair {
  /** The X25519 public key sent with each message (32 bytes). */
  receiptKey: Uint8Array;
  /** The X25519 private key, kept by the sender only (32 bytes). */
  privateKey: Uint8Array;
}

const keyLength = 32;
const encLength = 32;
const info = new TextEncoder().encode('sigill/v1/receipt');
const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });

export async function generateReceiptKeyPair(): Promise<ReceiptKeyPair> {
  const pair = await suite.kem.generateKeyPair();
  return {
    receiptKey: new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)),
    privateKey: new Uint8Array(await suite.kem.serializePrivateKey(pair.privateKey)),
  };
}

/**
 * Checks that a key pair (for example one imported from a backup file) belongs
 * together, by sealing and opening a probe receipt.
 */
export async function checkReceiptKeyPair(pair: ReceiptKeyPair): Promise<void> {
  const probeMessageId = new Uint8Array(messageIdBytes);
  const probe: Receipt = { linkId: 'probe', identity: 'se-pnr:000000000000', name: 'probe', at: new Date(0).toISOString() };
  const sealed = await sealReceipt(pair.receiptKey, probeMessageId, probe);
  await openReceipt(pair.privateKey, probeMessageId, sealed).catch(() => {
    throw new FormatError('receipt_key_invalid', 'the receipt keys do not belong together');
  });
}

export async function sealReceipt(receiptKey: Uint8Array, messageId: Uint8Array, receipt: Receipt): Promise<Uint8Array> {
  checkLength(receiptKey, 'receiptKey');
  checkMessageId(messageId);
  const plaintext = new TextEncoder().encode(JSON.stringify(checkReceipt(receipt)));
  let recipientPublicKey: CryptoKey;
  try {
    recipientPublicKey = await suite.kem.deserializePublicKey(receiptKey);
  } catch {
    throw new FormatError('receipt_key_invalid', 'receiptKey is not an X25519 public key');
  }
  const { enc, ct } = await suite.seal({ recipientPublicKey, info }, plaintext, messageId);
  const sealed = new Uint8Array(enc.byteLength + ct.byteLength);
  sealed.set(new Uint8Array(enc), 0);
  sealed.set(new Uint8Array(ct), enc.byteLength);
  return sealed;
}

export async function openReceipt(privateKey: Uint8Array, messageId: Uint8Array, sealed: Uint8Array): Promise<Receipt> {
  checkLength(privateKey, 'the receipt private key');
  checkMessageId(messageId);
  if (sealed.length < encLength + 16) throw new FormatError('receipt_invalid', 'the sealed receipt is too short');
  let plaintext: ArrayBuffer;
  try {
    const recipientKey = await suite.kem.deserializePrivateKey(privateKey);
    plaintext = await suite.open(
      { recipientKey, enc: sealed.slice(0, encLength), info },
      sealed.slice(encLength),
      messageId,
    );
  } catch {
    throw new FormatError('receipt_invalid', 'the receipt does not open with this key and message');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw new FormatError('receipt_invalid', 'the receipt is not UTF-8 JSON');
  }
  return checkReceipt(value);
}

function checkReceipt(value: unknown): Receipt {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { linkId, identity, name, at } = record;
  if (typeof linkId !== 'string' || typeof name !== 'string' || typeof at !== 'string' || typeof identity !== 'string') {
    throw new FormatError('receipt_invalid', 'a receipt has linkId, identity, name and at');
  }
  if (Number.isNaN(Date.parse(at))) throw new FormatError('receipt_invalid', 'the receipt time is not RFC 3339');
  checkIdentity(identity);
  return { linkId, identity, name, at };
}

function checkLength(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== keyLength) {
    throw new FormatError('receipt_key_invalid', `${what} must be ${keyLength} bytes`);
  }
}

function checkMessageId(messageId: Uint8Array): void {
  if (messageId.length !== messageIdBytes) throw new FormatError('length_invalid', 'messageId must be 16 bytes');
}
