/**
 * Seal and open throughput of shared/stream.ts (WebCrypto, segments in flight) beside
 * node:crypto AES-256-GCM over 64 KiB segments, measured in the same run.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createOpenStream, createSealStream, segmentBytes } from '../shared/stream.js';
import { formatRate, median, MiB, printRatio } from './report.js';

const key = randomBytes(32);
const chunk = randomBytes(segmentBytes);

function nonce(counter: number, final: boolean): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUIntBE(counter, 5, 6);
  iv[11] = final ? 1 : 0;
  return iv;
}

/** Generated plaintext, 64 KiB at a time, never held whole. */
function generated(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const length = Math.min(segmentBytes, size - sent);
      controller.enqueue(chunk.subarray(0, length));
      sent += length;
    },
  }, { highWaterMark: 4 });
}

function discard(): WritableStream<Uint8Array> {
  return new WritableStream({ write() {} });
}

/** node:crypto over 64 KiB segments; `keep` collects the sealed segments (for the open benchmarks). */
function baselineSeal(size: number, keep?: Buffer[]): void {
  const count = Math.max(1, Math.ceil(size / segmentBytes));
  for (let i = 0; i < count; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(i, i === count - 1));
    const length = Math.min(segmentBytes, size - i * segmentBytes);
    const body = cipher.update(chunk.subarray(0, length));
    cipher.final();
    const tag = cipher.getAuthTag();
    keep?.push(Buffer.concat([body, tag]));
  }
}

function baselineOpen(segments: Buffer[]): void {
  segments.forEach((segment, i) => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(i, i === segments.length - 1));
    decipher.setAuthTag(segment.subarray(segment.length - 16));
    decipher.update(segment.subarray(0, segment.length - 16));
    decipher.final();
  });
}

async function seconds(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** Baseline and subject take turns, so a busy moment on a shared machine hits both; medians. */
async function alternate(repeats: number, baseline: () => unknown, subject: () => Promise<unknown>): Promise<[number, number]> {
  const base: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < repeats; i++) {
    base.push(await seconds(baseline));
    ours.push(await seconds(subject));
  }
  return [median(base), median(ours)];
}

export async function benchStreams(): Promise<boolean> {
  let allMet = true;
  for (const size of [1 * MiB, 256 * MiB]) {
    const repeats = size > 16 * MiB ? 5 : 21;
    const segments: Buffer[] = [];
    baselineSeal(size, segments);
    const ciphertext = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const segment of segments) controller.enqueue(segment);
          controller.close();
        },
      });
    // Warm up both paths once.
    await generated(size).pipeThrough(createSealStream(key)).pipeTo(discard());
    baselineOpen(segments);

    const [baseSeal, seal] = await alternate(repeats, () => baselineSeal(size), () => generated(size).pipeThrough(createSealStream(key)).pipeTo(discard()));
    const [baseOpen, open] = await alternate(repeats, () => baselineOpen(segments), () => ciphertext().pipeThrough(createOpenStream(key)).pipeTo(discard()));

    const label = `${size / MiB} MiB`;
    allMet = printRatio(`seal ${label}`, formatRate(size / seal), formatRate(size / baseSeal), baseSeal / seal, 0.6) && allMet;
    allMet = printRatio(`open ${label}`, formatRate(size / open), formatRate(size / baseOpen), baseOpen / open, 0.5) && allMet;
  }
  return allMet;
}
