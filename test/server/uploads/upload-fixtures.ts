import { randomBytes } from 'node:crypto';
import { blobSource } from '../../../client/byte-source.js';
import type { ChunkedUpload } from '../../../client/upload.js';
import { collect } from '../../../shared/stream.js';
import { sealMessage, type AttachmentSource, type SealedMessage } from '../../../shared/seal-message.js';
import { generateReceiptKeyPair } from '../../../shared/receipts.js';

/** An attachment of `size` random bytes with random access, as a file or a Blob gives. */
export function randomAttachment(size: number, name = 'mri-export.zip'): AttachmentSource {
  const blob = new Blob([randomBytes(size)]);
  const source = blobSource(blob);
  return { name, type: 'application/zip', size, open: () => blob.stream(), read: (offset, length) => source.read(offset, length) };
}

/** A sealed message with the given attachments, and the chunked upload of it. */
export async function sealedWith(attachments: AttachmentSource[]): Promise<{ sealed: SealedMessage; upload: ChunkedUpload }> {
  const { receiptKey } = await generateReceiptKeyPair();
  const sealed = await sealMessage({ origin: 'http://localhost:8787', errand: 'Din röntgen', text: 'Hej!', attachments, recipients: [{ readers: '*' }], receiptKey });
  const upload: ChunkedUpload = {
    messageId: sealed.request.messageId,
    secret: sealed.secret,
    payloads: sealed.payloads.map((payload) => ({ index: payload.index, source: { size: payload.plaintext.size, read: payload.plaintext.read! } })),
  };
  return { sealed, upload };
}

/** The whole ciphertext of one payload, sealed as a stream (what the chunks must add up to). */
export async function streamedCiphertext(sealed: SealedMessage, index: number): Promise<Buffer> {
  return Buffer.from(await collect(sealed.payloads[index]!.stream()));
}
