import { describe, expect, it } from 'vitest';
import { FormatError } from '../../shared/errors.js';
import { checkReceiptKeyPair, generateReceiptKeyPair, openReceipt, sealReceipt, type Receipt } from '../../shared/receipts.js';

const messageId = new Uint8Array(16).fill(3);
const receipt: Receipt = { linkId: 'HhI49IU4UntU28fWrZ0jCQ', identity: 'se-pnr:198112189876', name: 'Anna Andersson', at: '2026-11-24T10:00:00Z' };

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FormatError);
  return (error as FormatError).code;
}

describe('receipts sealed to the sender (HPKE)', () => {
  it('opens with the sender key and this message only', async () => {
    const pair = await generateReceiptKeyPair();
    expect(pair.receiptKey).toHaveLength(32);
    const sealed = await sealReceipt(pair.receiptKey, messageId, receipt);
    expect(new TextDecoder().decode(sealed)).not.toContain('198112189876');
    expect(await openReceipt(pair.privateKey, messageId, sealed)).toEqual(receipt);
    expect(await codeOf(openReceipt(pair.privateKey, new Uint8Array(16), sealed))).toBe('receipt_invalid');
    const other = await generateReceiptKeyPair();
    expect(await codeOf(openReceipt(other.privateKey, messageId, sealed))).toBe('receipt_invalid');
    const altered = sealed.slice();
    altered[40]! ^= 1;
    expect(await codeOf(openReceipt(pair.privateKey, messageId, altered))).toBe('receipt_invalid');
  });

  it('seals each receipt afresh', async () => {
    const { receiptKey } = await generateReceiptKeyPair();
    const a = await sealReceipt(receiptKey, messageId, receipt);
    const b = await sealReceipt(receiptKey, messageId, receipt);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('checks that an imported key pair belongs together', async () => {
    const a = await generateReceiptKeyPair();
    const b = await generateReceiptKeyPair();
    await expect(checkReceiptKeyPair(a)).resolves.toBeUndefined();
    expect(await codeOf(checkReceiptKeyPair({ receiptKey: a.receiptKey, privateKey: b.privateKey }))).toBe('receipt_key_invalid');
  });

  it('refuses malformed keys and receipts', async () => {
    const { receiptKey } = await generateReceiptKeyPair();
    expect(await codeOf(sealReceipt(new Uint8Array(31), messageId, receipt))).toBe('receipt_key_invalid');
    expect(await codeOf(sealReceipt(receiptKey, messageId, { ...receipt, identity: '198112189876' }))).toBe('identity_invalid');
    expect(await codeOf(openReceipt(new Uint8Array(32), messageId, new Uint8Array(20)))).toBe('receipt_invalid');
  });
});
