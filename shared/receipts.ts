import { checkIdentity } from './authorization.js';
import { FormatError } from './errors.js';
import { openWithPrivateKey, parseSealedJson, sealToReceiptKey, suite } from './hpke.js';
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

const info = 'sigill/v1/receipt';

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
  checkMessageId(messageId);
  return sealToReceiptKey(receiptKey, info, messageId, new TextEncoder().encode(JSON.stringify(checkReceipt(receipt))));
}

export async function openReceipt(privateKey: Uint8Array, messageId: Uint8Array, sealed: Uint8Array): Promise<Receipt> {
  checkMessageId(messageId);
  return checkReceipt(parseSealedJson(await openWithPrivateKey(privateKey, info, messageId, sealed, 'receipt_invalid'), 'receipt_invalid'));
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

function checkMessageId(messageId: Uint8Array): void {
  if (messageId.length !== messageIdBytes) throw new FormatError('length_invalid', 'messageId must be 16 bytes');
}
