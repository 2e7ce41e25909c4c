import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealChunk, uploadChunked, type ChunkedUpload } from '../../../client/upload.js';
import { planRecipients } from '../../../client/link-plan.js';
import { receiptKeyRing } from '../../../client/receipt-keys.js';
import { sendMessage } from '../../../client/send.js';
import { memoryStores } from '../../../client/stores.js';
import { chunkBytes, chunkContentRange, chunkCount } from '../../../shared/api/uploads.js';
import { deriveKeys } from '../../../shared/keys.js';
import { sealedLength } from '../../../shared/stream.js';
import { describeEachBackend } from '../backends.js';
import { useServerPerTest, type TestServer } from '../harness.js';
import { randomAttachment, sealedWith, streamedCiphertext } from './upload-fixtures.js';

const size = 2 * 5 * 1024 * 1024 + 300_000; // three chunks, the last short
const putChunk = (server: TestServer, messageId: string, index: number, chunk: number, body: Uint8Array, headers: Record<string, string>) =>
  server.app.request(`/api/v1/messages/${messageId}/payloads/${index}/chunks/${chunk}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream', ...headers },
    body: body as Uint8Array<ArrayBuffer>,
  });

describe('the chunk rule', () => {
  it('cuts a payload into chunks of 80 sealed segments, only the last shorter', () => {
    expect(chunkBytes).toBe(80 * 65_552);
    expect(chunkCount(16)).toBe(1);
    expect(chunkCount(chunkBytes)).toBe(1);
    expect(chunkCount(chunkBytes + 1)).toBe(2);
    expect(chunkContentRange(sealedLength(size), 2)).toBe(`bytes ${2 * chunkBytes}-${sealedLength(size) - 1}/${sealedLength(size)}`);
  });
});

describeEachBackend('chunked upload', (backend) => {
  const context = useServerPerTest(backend);

  it('stores a payload sent in chunks; the joined payload equals the streamed ciphertext, also by segment-aligned range', async () => {
    const { server } = context;
    const { sealed, upload } = await sealedWith([randomAttachment(size)]);
    await server.sender.createMessage(sealed.request);
    const seen: number[] = [];
    const result = await uploadChunked(server.sender, upload, { onProgress: (progress) => seen.push(progress.messageSent) });
    expect(result.state).toBe('ready');
    expect(seen.at(-1)).toBe(sealed.payloads.reduce((sum, payload) => sum + payload.length, 0));
    const status = await server.sender.payloadUpload(sealed.request.messageId, 1);
    expect(status).toMatchObject({ complete: true, chunkCount: 3, chunks: [0, 1, 2], state: 'ready' });

    const whole = await streamedCiphertext(sealed, 1);
    const { blobs } = server.deps;
    const stored = await blobs.read(sealed.request.messageId, 1, { size: whole.length });
    const bytes = stored.bytes ?? Buffer.concat(await stored.stream!.toArray());
    expect(bytes.equals(whole)).toBe(true);
    const start = 81 * 65_552; // a segment inside the second chunk
    const ranged = await blobs.read(sealed.request.messageId, 1, { size: whole.length, range: { start, end: whole.length } });
    const rangeBytes = ranged.bytes ?? Buffer.concat(await ranged.stream!.toArray());
    expect(rangeBytes.equals(whole.subarray(start))).toBe(true);
    // The chunks are gone once joined.
    await expect(blobs.getChunk(sealed.request.messageId, 1, 0)).rejects.toMatchObject({ code: 'not_found' });
    if (backend.name === 'libsql') expect(existsSync(join(server.dataDir, 'blobs', sealed.request.messageId.slice(0, 2), `${sealed.request.messageId}.chunks`))).toBe(false);
  });

  it('sends each chunk as a Blob of its sealed parts when asked (browsers), storing the same ciphertext', async () => {
    const { server } = context;
    const { sealed, upload } = await sealedWith([randomAttachment(size)]);
    await server.sender.createMessage(sealed.request);
    const bodies: string[] = [];
    const watching = { ...server.sender, putChunk: (...args: Parameters<typeof server.sender.putChunk>) => (bodies.push(args[3] instanceof Blob ? 'blob' : 'bytes'), server.sender.putChunk(...args)) };
    expect((await uploadChunked(watching, upload, { bodies: 'blob' })).state).toBe('ready');
    expect(bodies).toEqual(['blob', 'blob', 'blob', 'blob']);
    const whole = await streamedCiphertext(sealed, 1);
    const stored = await server.deps.blobs.read(sealed.request.messageId, 1, { size: whole.length });
    expect((stored.bytes ?? Buffer.concat(await stored.stream!.toArray())).equals(whole)).toBe(true);
  });

  it('a chunk already held is kept as it was: resending it, even with other bytes and two at once, changes nothing', async () => {
    const { server } = context;
    const { sealed, upload } = await sealedWith([randomAttachment(size)]);
    const { messageId } = sealed.request;
    await server.sender.createMessage(sealed.request);
    const length = sealed.payloads[1]!.length;
    const key = deriveKeys(upload.secret, Buffer.from(messageId, 'base64url')).payload(1);
    const first = await sealChunk(key, upload.payloads[1]!.source, 0);
    const headers = { 'content-range': chunkContentRange(length, 0) };
    const answers = await Promise.all([putChunk(server, messageId, 1, 0, first, headers), putChunk(server, messageId, 1, 0, first, headers)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const other = new Uint8Array(first.length).fill(7);
    const again = await putChunk(server, messageId, 1, 0, other, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ index: 1, chunk: 0, complete: false, state: 'uploading' });
    expect((await server.sender.payloadUpload(messageId, 1)).chunks).toEqual([0]);
    await uploadChunked(server.sender, upload);
    const stored = await server.deps.blobs.read(messageId, 1, { size: length, range: { start: 0, end: first.length } });
    const bytes = stored.bytes ?? Buffer.concat(await stored.stream!.toArray());
    expect(bytes.equals(Buffer.from(first))).toBe(true);
    // After it is ready, a resend answers ready and keeps the payload.
    const late = await putChunk(server, messageId, 1, 0, other, headers);
    expect(await late.json()).toMatchObject({ complete: true, state: 'ready' });
    expect((await streamedCiphertext(sealed, 1)).subarray(0, first.length).equals(Buffer.from(first))).toBe(true);
  });

  it('refuses a chunk whose offset, length or total is not the rule’s, with a stable code', async () => {
    const { server } = context;
    const { sealed, upload } = await sealedWith([randomAttachment(size)]);
    const { messageId } = sealed.request;
    await server.sender.createMessage(sealed.request);
    const length = sealed.payloads[1]!.length;
    const key = deriveKeys(upload.secret, Buffer.from(messageId, 'base64url')).payload(1);
    const chunk = await sealChunk(key, upload.payloads[1]!.source, 1);
    const code = async (answer: Response) => [answer.status, ((await answer.json()) as { error: { code: string } }).error.code];
    expect(await code(await putChunk(server, messageId, 1, 1, chunk, {}))).toEqual([400, 'chunk_range_missing']);
    expect(await code(await putChunk(server, messageId, 1, 1, chunk, { 'content-range': `bytes 65552-${65_552 + chunkBytes - 1}/${length}` }))).toEqual([400, 'chunk_range_invalid']);
    expect(await code(await putChunk(server, messageId, 1, 1, chunk, { 'content-range': `bytes ${chunkBytes}-${2 * chunkBytes - 2}/${length}` }))).toEqual([400, 'chunk_range_invalid']);
    expect(await code(await putChunk(server, messageId, 1, 1, chunk, { 'content-range': `bytes ${chunkBytes}-${2 * chunkBytes - 1}/${length + 1}` }))).toEqual([400, 'chunk_range_invalid']);
    expect(await code(await putChunk(server, messageId, 1, 3, chunk, { 'content-range': chunkContentRange(length, 2) }))).toEqual([404, 'chunk_not_found']);
    expect(await code(await putChunk(server, messageId, 1, 1, chunk.subarray(1), { 'content-range': chunkContentRange(length, 1) }))).toEqual([400, 'payload_length_mismatch']);
    expect(await code(await putChunk(server, messageId, 1, 1, new Uint8Array(chunk.length + 1), { 'content-range': chunkContentRange(length, 1) }))).toEqual([413, 'payload_too_large']);
    expect(await code(await putChunk(server, messageId, 1, 1, chunk, { 'content-range': 'bytes=0-10' }))).toEqual([400, 'chunk_range_invalid']);
    expect((await server.sender.payloadUpload(messageId, 1)).chunks).toEqual([]);
    expect((await putChunk(server, messageId, 1, 1, chunk, { 'content-range': chunkContentRange(length, 1) })).status).toBe(200);
  });

  it('a revoked message takes no chunk and keeps none', async () => {
    const { server } = context;
    const { sealed, upload } = await sealedWith([randomAttachment(size)]);
    const { messageId } = sealed.request;
    await server.sender.createMessage(sealed.request);
    await server.sender.revoke(messageId);
    await expect(uploadChunked(server.sender, upload)).rejects.toMatchObject({ status: 409, code: 'message_not_uploading' });
  });

  it('sendMessage uploads in chunks: onCreated comes before any chunk with what a resume needs, onChunk after each, and a resume then sends nothing', async () => {
    const { server } = context;
    const stores = memoryStores();
    const events: string[] = [];
    let saved: ChunkedUpload | undefined;
    const sent = await sendMessage(
      {
        api: server.sender,
        keys: receiptKeyRing(stores.keys),
        sent: stores.sent,
        onCreated: (upload) => {
          events.push(`created ${upload.payloads.length}`);
          saved = upload;
        },
        onChunk: (index, chunk) => void events.push(`${index}.${chunk}`),
      },
      { links: planRecipients('anna@example.se?login=*', { email: 'webmail' }), errand: 'Ditt kontrakt', text: 'Hej!', attachments: [randomAttachment(size)], language: 'sv' },
    );
    expect(events[0]).toBe('created 2');
    expect(events.slice(1).sort()).toEqual(['0.0', '1.0', '1.1', '1.2']);
    expect((await server.sender.message(sent.messageId)).state).toBe('ready');
    const puts: string[] = [];
    const counting = { ...server.sender, putChunk: (...args: Parameters<typeof server.sender.putChunk>) => (puts.push(`${args[1]}.${args[2]}`), server.sender.putChunk(...args)) };
    expect((await uploadChunked(counting, saved!)).state).toBe('ready');
    expect(puts).toEqual([]);
  });
});
