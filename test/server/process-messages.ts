/**
 * Messages for tests against real server processes (./server-process.ts): sealed here,
 * created and uploaded over HTTP with a sender's token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { generateReceiptKeyPair } from '../../shared/receipts.js';
import { sealMessage, type SealedMessage } from '../../shared/seal-message.js';
import { createAndUpload } from '../../client/send.js';
import { senderApi } from '../../client/sender-api.js';
import type { ServerProcess } from './server-process.js';

export interface SealOptions {
  size?: number;
  readers?: '*' | string[];
  recipients?: number;
  readLimit?: number;
}

/** A message with one attachment of `size` bytes (payload 1). */
export async function seal(size = 300_000, options: SealOptions = {}): Promise<SealedMessage> {
  const bytes = new Uint8Array(size).map((_, i) => i % 253);
  return sealMessage({
    origin: 'http://localhost:8787',
    errand: 'Beslut från socialtjänsten',
    text: 'Beslutet finns i bilagan.',
    attachments: [{ name: 'beslut.pdf', type: 'application/pdf', size, open: () => new Blob([bytes]).stream() }],
    recipients: Array.from({ length: options.recipients ?? 1 }, () => ({ readers: options.readers ?? ['se-pnr:199908072391'] })),
    ...(options.readLimit !== undefined ? { readLimit: options.readLimit } : {}),
    receiptKey: (await generateReceiptKeyPair()).receiptKey,
  });
}

export async function ciphertextOf(sealed: SealedMessage, index: number): Promise<Buffer> {
  return Buffer.from(await new Response(sealed.payloads[index]!.stream()).arrayBuffer());
}

/** Creates the message through client/'s SenderApi. */
export async function create(server: Pick<ServerProcess, 'url'>, token: string, sealed: SealedMessage) {
  await senderApi({ baseUrl: server.url, token }).createMessage(sealed.request);
}

/** Uploads the payloads listed in `sealed` through client/'s SenderApi. */
export async function upload(server: Pick<ServerProcess, 'url'>, token: string, sealed: SealedMessage) {
  const api = senderApi({ baseUrl: server.url, token });
  for (const payload of sealed.payloads) {
    await api.uploadPayload(sealed.request.messageId, payload.index, new Blob([new Uint8Array(await ciphertextOf(sealed, payload.index))]), { length: payload.length });
  }
}

/** Creates and uploads through client/'s whole middle step (only the payloads listed in `sealed`). */
export async function send(server: Pick<ServerProcess, 'url'>, token: string, sealed: SealedMessage) {
  await createAndUpload(senderApi({ baseUrl: server.url, token }), sealed, { uploads: 'stream' });
}

/**
 * Starts uploading payload `index` and sends only its first half, then holds the request
 * open. Resolves once that half is sent, with the request (which fails when the server dies).
 */
export async function uploadHalf(server: Pick<ServerProcess, 'url'>, token: string, sealed: SealedMessage, index: number): Promise<{ request: Promise<unknown> }> {
  const ciphertext = await ciphertextOf(sealed, index);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= ciphertext.length / 2) return sleep(50);
      controller.enqueue(ciphertext.subarray(sent, sent + 256 * 1024));
      sent += 256 * 1024;
    },
  });
  const request = fetch(`${server.url}/api/v1/messages/${sealed.request.messageId}/payloads/${index}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body,
    duplex: 'half',
  } as RequestInit).catch((error: unknown) => error);
  for (let i = 0; i < 200 && sent < ciphertext.length / 2; i++) await sleep(50);
  expect(sent).toBeGreaterThanOrEqual(ciphertext.length / 2);
  return { request };
}
