import { describe, expect, it } from 'vitest';
import { blobSource, bytesSource, streamSource } from '../../client/byte-source.js';
import { sealChunk } from '../../client/upload.js';
import { chunkCount, chunkPlaintextBytes } from '../../shared/api/uploads.js';
import { collect, createSealStream, openBytes, sealedLength, segmentBytes } from '../../shared/stream.js';

const key = new Uint8Array(32).fill(9);
const plaintextOf = (size: number) => new Uint8Array(size).map((_, i) => (i * 7 + 3) % 256);
const streamed = (plaintext: Uint8Array) => collect(new Blob([plaintext as Uint8Array<ArrayBuffer>]).stream().pipeThrough(createSealStream(key)));

describe('sealing chunk by chunk', () => {
  for (const size of [0, 1, segmentBytes, chunkPlaintextBytes, chunkPlaintextBytes + 1, 2 * chunkPlaintextBytes + segmentBytes + 5]) {
    it(`gives exactly the streamed ciphertext, chunk for chunk (${size} bytes)`, async () => {
      const plaintext = plaintextOf(size);
      const whole = await streamed(plaintext);
      const source = bytesSource(plaintext);
      const count = chunkCount(sealedLength(size));
      const chunks: Uint8Array[] = [];
      // Out of order, as a resumed upload seals them: each chunk stands alone.
      for (let chunk = count - 1; chunk >= 0; chunk--) chunks.unshift(await sealChunk(key, source, chunk));
      expect(Buffer.concat(chunks).equals(Buffer.from(whole))).toBe(true);
      expect(Buffer.from(await openBytes(key, Buffer.concat(chunks))).equals(Buffer.from(plaintext))).toBe(true);
    });
  }

  it('a Blob and a stream read in order give the same chunks as bytes in memory', async () => {
    const plaintext = plaintextOf(chunkPlaintextBytes + 1000);
    const blob = new Blob([plaintext as Uint8Array<ArrayBuffer>]);
    const fromBytes = await sealChunk(key, bytesSource(plaintext), 1);
    expect(Buffer.from(await sealChunk(key, blobSource(blob), 1)).equals(Buffer.from(fromBytes))).toBe(true);
    const inOrder = streamSource(blob.size, () => blob.stream());
    await sealChunk(key, inOrder, 0);
    expect(Buffer.from(await sealChunk(key, inOrder, 1)).equals(Buffer.from(fromBytes))).toBe(true);
    // Going back opens the stream again.
    expect(Buffer.from(await sealChunk(key, inOrder, 0)).equals(Buffer.from(await sealChunk(key, bytesSource(plaintext), 0)))).toBe(true);
  });

  it('refuses a chunk past the end, and a source shorter than its size', async () => {
    await expect(sealChunk(key, bytesSource(plaintextOf(10)), 1)).rejects.toThrow(RangeError);
    const short = { size: 100, read: async () => new Uint8Array(50) };
    await expect(sealChunk(key, short, 0)).rejects.toMatchObject({ code: 'source_changed' });
  });
});
