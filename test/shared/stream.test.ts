import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../shared/errors.js';
import {
  collect,
  createOpenStream,
  createSealStream,
  openBytes,
  sealBytes,
  sealedLength,
  sealSegments,
  segmentBytes,
} from '../../shared/stream.js';

const key = new Uint8Array(32).fill(7);
const sealedSegment = segmentBytes + 16;

/** Byte equality; vitest's deep toEqual is far too slow on MiB-sized arrays. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytesOf(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** A stream that hands `bytes` on in chunks of the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let offset = 0;
  let turn = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const size = Math.max(1, sizes[turn++ % sizes.length]!);
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the ciphertext was accepted').toBeInstanceOf(FormatError);
  return (error as FormatError).code;
}

const boundarySizes = [0, 1, 65_535, 65_536, 65_537, 2 * 65_536, 3 * 1024 * 1024 + 5];

describe('stream: round trips around segment boundaries', () => {
  for (const size of boundarySizes) {
    it(`seals and opens ${size} bytes, whatever the chunking`, async () => {
      const plaintext = bytesOf(size, size + 1);
      await fc.assert(
        // Chunk sizes from one byte up; large inputs are fed in chunks of at least 4 KiB to keep the run short.
        fc.asyncProperty(fc.array(fc.integer({ min: size > 200_000 ? 4096 : 1, max: 200_000 }), { minLength: 1, maxLength: 5 }), async (sizes) => {
          const ciphertext = await collect(chunked(plaintext, sizes).pipeThrough(createSealStream(key)));
          expect(ciphertext.length).toBe(sealedLength(size));
          const opened = await collect(chunked(ciphertext, sizes.reverse()).pipeThrough(createOpenStream(key)));
          expect(sameBytes(opened, plaintext)).toBe(true);
        }),
        { numRuns: size > 200_000 ? 6 : 25 },
      );
    });
  }

  it('gives the same ciphertext with one segment in flight as with many', async () => {
    const plaintext = bytesOf(5 * segmentBytes + 3);
    const one = await collect(chunked(plaintext, [segmentBytes]).pipeThrough(createSealStream(key, { inFlight: 1 })));
    const eight = await collect(chunked(plaintext, [4096]).pipeThrough(createSealStream(key, { inFlight: 8 })));
    expect(sameBytes(eight, one)).toBe(true);
  });

  it('round-trips a producer that reuses one buffer for every chunk', async () => {
    // As a BYOB read loop does: each chunk's bytes are overwritten once it has been written.
    const plaintext = bytesOf(3 * segmentBytes + 777, 9);
    const expected = await sealBytes(key, plaintext);
    for (const size of [1000, segmentBytes, segmentBytes + 1, 3 * segmentBytes]) {
      const reused = (bytes: Uint8Array) => {
        const buffer = new Uint8Array(size);
        let offset = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= bytes.length) return controller.close();
            const view = buffer.subarray(0, Math.min(size, bytes.length - offset));
            view.set(bytes.subarray(offset, offset + view.length));
            offset += view.length;
            controller.enqueue(view);
          },
        }, { highWaterMark: 0 });
      };
      const ciphertext = await collect(reused(plaintext).pipeThrough(createSealStream(key)));
      expect(sameBytes(ciphertext, expected), `sealing in chunks of ${size}`).toBe(true);
      const opened = await collect(reused(ciphertext).pipeThrough(createOpenStream(key)));
      expect(sameBytes(opened, plaintext), `opening in chunks of ${size}`).toBe(true);
    }
  });

  it('refuses an opening key that is not 32 bytes', async () => {
    expect(await refusal(sealBytes(new Uint8Array(16), new Uint8Array(3)))).toBe('length_invalid');
  });
});

describe('stream: tampering is refused', () => {
  const sizes = [1, 65_536, 65_537, 3 * segmentBytes + 100];
  const sealed = Promise.all(sizes.map(async (size) => sealBytes(key, bytesOf(size, size))));

  it('refuses any flipped bit', async () => {
    const ciphertexts = await sealed;
    await fc.assert(
      fc.asyncProperty(fc.nat(ciphertexts.length - 1), fc.nat(), fc.nat(7), async (which, position, bit) => {
        const altered = ciphertexts[which]!.slice();
        altered[position % altered.length]! ^= 1 << bit;
        expect(['segment_tag_invalid', 'stream_truncated', 'trailing_data']).toContain(await refusal(openBytes(key, altered)));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any truncation', async () => {
    const ciphertexts = await sealed;
    await fc.assert(
      fc.asyncProperty(fc.nat(ciphertexts.length - 1), fc.nat(), async (which, cut) => {
        const ciphertext = ciphertexts[which]!;
        const length = cut % ciphertext.length;
        await refusal(openBytes(key, ciphertext.subarray(0, length)));
      }),
      { numRuns: 60 },
    );
  });

  it('names truncation at a segment boundary as truncation', async () => {
    const [, , , long] = await sealed;
    expect(await refusal(openBytes(key, long!.subarray(0, 2 * sealedSegment)))).toBe('stream_truncated');
  });

  it('refuses reordered segments', async () => {
    const [, , , long] = await sealed;
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.nat(3), async (a, b) => {
        fc.pre(a !== b);
        const segments = [0, 1, 2, 3].map((i) => long!.slice(i * sealedSegment, (i + 1) * sealedSegment));
        [segments[a], segments[b]] = [segments[b]!, segments[a]!];
        const reordered = new Uint8Array(long!.length);
        let offset = 0;
        for (const segment of segments) {
          reordered.set(segment, offset);
          offset += segment.length;
        }
        expect(['segment_tag_invalid', 'segment_too_short', 'trailing_data', 'stream_truncated']).toContain(
          await refusal(openBytes(key, reordered)),
        );
      }),
      { numRuns: 12 },
    );
  });

  it('refuses data after the final segment', async () => {
    // Exactly one segment of plaintext: a single segment sealed as final, then 20 bytes more.
    const full = await sealBytes(key, bytesOf(segmentBytes));
    const finalFirst = new Uint8Array(full.length + 20);
    finalFirst.set(full);
    expect(await refusal(openBytes(key, finalFirst))).toBe('trailing_data');
  });

  it('refuses a ciphertext under a different key', async () => {
    const ciphertext = await sealBytes(key, bytesOf(100));
    expect(await refusal(openBytes(new Uint8Array(32).fill(8), ciphertext))).toBe('segment_tag_invalid');
  });
});

describe('stream: a run of segments sealed alone', () => {
  it('gives the same bytes as the stream for those segments, the final flag only at the end', async () => {
    const plaintext = new Uint8Array(3 * segmentBytes + 100).map((_, i) => (i * 13) % 256);
    const whole = await sealBytes(key, plaintext);
    const middle = await sealSegments(key, 1, plaintext.subarray(segmentBytes, 3 * segmentBytes), false);
    expect(sameBytes(middle, whole.subarray(sealedSegment, 3 * sealedSegment))).toBe(true);
    const last = await sealSegments(key, 3, plaintext.subarray(3 * segmentBytes), true);
    expect(sameBytes(last, whole.subarray(3 * sealedSegment))).toBe(true);
    expect(sameBytes(await sealSegments(key, 0, new Uint8Array(0), true), await sealBytes(key, new Uint8Array(0)))).toBe(true);
    // A run that does not end the payload is whole segments.
    await expect(sealSegments(key, 0, plaintext.subarray(0, 100), false)).rejects.toThrow(RangeError);
  });
});
