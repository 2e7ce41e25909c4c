import { describe, expect, it } from 'vitest';
import { FormatError } from '../../shared/errors.js';
import { openLabel, openSenderCopy, sealLabel, sealSenderCopy } from '../../shared/labels.js';
import { buildLink } from '../../shared/link.js';
import { generateReceiptKeyPair, sealReceipt } from '../../shared/receipts.js';

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: unknown) => (error instanceof FormatError ? error.code : String(error)));
const messageId = Uint8Array.from({ length: 16 }, (_, i) => i);
const linkId = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);
const label = { channel: 'sms' as const, to: '070-123 45 67', readers: ['se-pnr:198112189876', 'se-pnr:1980*'] };

describe('recipient labels and the sender’s copy (PROTOCOL.md §7.1)', () => {
  it('a label opens with the receipt private key for its own message and link only', async () => {
    const pair = await generateReceiptKeyPair();
    const sealed = await sealLabel(pair.receiptKey, messageId, linkId, label);
    expect(await openLabel(pair.privateKey, messageId, linkId, sealed)).toEqual(label);
    expect(await codeOf(openLabel(pair.privateKey, messageId, new Uint8Array(16), sealed))).toBe('label_invalid');
    expect(await codeOf(openLabel(pair.privateKey, new Uint8Array(16), linkId, sealed))).toBe('label_invalid');
    expect(await codeOf(openLabel((await generateReceiptKeyPair()).privateKey, messageId, linkId, sealed))).toBe('label_invalid');
    const altered = sealed.slice();
    altered[40]! ^= 1;
    expect(await codeOf(openLabel(pair.privateKey, messageId, linkId, altered))).toBe('label_invalid');
  });

  it('a receipt is not a label, nor a label a sender’s copy: each has its own info', async () => {
    const pair = await generateReceiptKeyPair();
    const receipt = await sealReceipt(pair.receiptKey, messageId, { linkId: 'x', identity: 'se-pnr:198112189876', name: 'A B', at: new Date(0).toISOString() });
    expect(await codeOf(openSenderCopy(pair.privateKey, messageId, receipt))).toBe('sender_copy_invalid');
    const sealedLabel = await sealLabel(pair.receiptKey, messageId, linkId, label);
    expect(await codeOf(openSenderCopy(pair.privateKey, messageId, sealedLabel))).toBe('sender_copy_invalid');
  });

  it('the sender’s copy keeps the errand, the attachment names and the text only when given', async () => {
    const pair = await generateReceiptKeyPair();
    const copy = { errand: 'Ditt avtal', attachments: ['avtal.pdf'] };
    expect(await openSenderCopy(pair.privateKey, messageId, await sealSenderCopy(pair.receiptKey, messageId, copy))).toEqual(copy);
    const withText = { ...copy, text: 'Hej' };
    expect(await openSenderCopy(pair.privateKey, messageId, await sealSenderCopy(pair.receiptKey, messageId, withText))).toEqual(withText);
  });

  it('a label may carry its own link, and only its own', async () => {
    const pair = await generateReceiptKeyPair();
    const link = buildLink('https://sigill.example', linkId, new Uint8Array(32).fill(7));
    const withLink = { ...label, link };
    expect(await openLabel(pair.privateKey, messageId, linkId, await sealLabel(pair.receiptKey, messageId, linkId, withLink))).toEqual(withLink);
    const other = buildLink('https://sigill.example', new Uint8Array(16), new Uint8Array(32).fill(7));
    expect(await codeOf(sealLabel(pair.receiptKey, messageId, linkId, { ...label, link: other }))).toBe('label_invalid');
    expect(await codeOf(sealLabel(pair.receiptKey, messageId, linkId, { ...label, link: 'https://sigill.example/o/x' }))).toBe('label_invalid');
  });

  it('refuses to seal a label whose readers are not identities, patterns or *', async () => {
    const pair = await generateReceiptKeyPair();
    expect(await codeOf(sealLabel(pair.receiptKey, messageId, linkId, { ...label, readers: ['198112189876'] }))).toBe('label_invalid');
    expect(await codeOf(sealLabel(pair.receiptKey, messageId, linkId, { ...label, readers: [] }))).toBe('label_invalid');
    expect(await codeOf(sealLabel(pair.receiptKey, messageId, new Uint8Array(15), label))).toBe('length_invalid');
    expect(await codeOf(sealLabel(new Uint8Array(31), messageId, linkId, label))).toBe('receipt_key_invalid');
  });
});
