/**
 * Seal and open throughput of shared/stream.ts as Node runs it (the node:crypto back end
 * that package.json's #aes-gcm picks in Node) beside node:crypto AES-256-GCM over 64 KiB
 * segments in a bare loop, measured in the same run, on the same job: read a plaintext
 * (or ciphertext) buffer of the given size and write the result into an output buffer.
 * The stream is fed 64 KiB chunks, as a file is read. Baseline and subject take turns;
 * medians are compared.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createOpenStream, createSealStream, sealedLength, segmentBytes } from '../shared/stream.js';
import { formatRate, median, MiB, printRatio, takeTurns } from './report.js';

const key = randomBytes(32);
const sealedSegmentBytes = segmentBytes + 16;

function nonce(counter: number, final: boolean): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUIntBE(counter, 5, 6);
  iv[11] = final ? 1 : 0;
  return iv;
}

/** node:crypto over 64 KiB segments, written into `output`. */
function baselineSeal(plaintext: Buffer, output: Buffer): void {
  const count = Math.max(1, Math.ceil(plaintext.length / segmentBytes));
  for (let i = 0; i < count; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(i, i === count - 1));
    const at = i * sealedSegmentBytes;
    const body = cipher.update(plaintext.subarray(i * segmentBytes, (i + 1) * segmentBytes));
    cipher.final();
    output.set(body, at);
    output.set(cipher.getAuthTag(), at + body.length);
  }
}

function baselineOpen(ciphertext: Buffer, output: Buffer): void {
  const count = Math.ceil(ciphertext.length / sealedSegmentBytes);
  for (let i = 0; i < count; i++) {
    const segment = ciphertext.subarray(i * sealedSegmentBytes, (i + 1) * sealedSegmentBytes);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(i, i === count - 1));
    decipher.setAuthTag(segment.subarray(segment.length - 16));
    output.set(decipher.update(segment.subarray(0, segment.length - 16)), i * segmentBytes);
    decipher.final();
  }
}

/** The buffer as a stream of 64 KiB chunks, as a file or an upload arrives. */
function chunksOf(buffer: Buffer, chunk: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream(
    {
      pull(controller) {
        if (offset >= buffer.length) return controller.close();
        controller.enqueue(buffer.subarray(offset, offset + chunk));
        offset += chunk;
      },
    },
    { highWaterMark: 4 },
  );
}

/**
 * Reads the stream into `output` with a reader, as fetch and collect() consume a
 * stream. (pipeTo into a WritableStream would add Node's pipe machinery, about a third
 * of the baseline's whole time at 1 MiB, which measures Node rather than Sigill.)
 */
async function readInto(stream: ReadableStream<Uint8Array>, output: Buffer): Promise<void> {
  const reader = stream.getReader();
  let offset = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    output.set(next.value, offset);
    offset += next.value.length;
  }
}

async function seconds(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** The medians of baseline and subject times, and the median of each round's ratio (baseline time / ours). */
async function alternate(repeats: number, baseline: () => unknown, subject: () => Promise<unknown>): Promise<[number, number, number]> {
  const pairs = await takeTurns(repeats, { rounds: Math.ceil(repeats / 5), ms: 500 }, () => seconds(baseline), () => seconds(subject));
  return [median(pairs.map(([base]) => base)), median(pairs.map(([, ours]) => ours)), median(pairs.map(([base, ours]) => base / ours))];
}

/**
 * Prints the four figures; returns whether every target is met. `reference` prints
 * them without targets, labelled with the back end (see webcrypto-reference.ts).
 */
export async function benchStreams(reference?: string): Promise<boolean> {
  let allMet = true;
  for (const size of [1 * MiB, 256 * MiB]) {
    const repeats = size > 16 * MiB ? 7 : 301;
    const plaintext = randomBytes(size);
    const ciphertext = Buffer.alloc(sealedLength(size));
    const sealed = Buffer.alloc(sealedLength(size));
    const opened = Buffer.alloc(size);
    baselineSeal(plaintext, ciphertext);
    const seal = () => readInto(chunksOf(plaintext, segmentBytes).pipeThrough(createSealStream(key)), sealed);
    const open = () => readInto(chunksOf(ciphertext, sealedSegmentBytes).pipeThrough(createOpenStream(key)), opened);
    await seal();
    await open();
    if (!sealed.equals(ciphertext) || !opened.equals(plaintext)) throw new Error('the stream and the baseline disagree');

    const [baseSeal, ourSeal, sealRatio] = await alternate(repeats, () => baselineSeal(plaintext, sealed), seal);
    const [baseOpen, ourOpen, openRatio] = await alternate(repeats, () => baselineOpen(ciphertext, opened), open);
    const label = `${size / MiB} MiB${reference ? `, ${reference}` : ''}`;
    const target = (value: number) => (reference ? undefined : value);
    allMet = printRatio(`seal ${label}`, formatRate(size / ourSeal), formatRate(size / baseSeal), sealRatio, target(0.6)) && allMet;
    allMet = printRatio(`open ${label}`, formatRate(size / ourOpen), formatRate(size / baseOpen), openRatio, target(0.5)) && allMet;
  }
  return allMet;
}
