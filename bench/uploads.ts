/**
 * The server's memory while it receives large chunked uploads: three messages with a
 * 1 GiB attachment each, uploaded at once through client/'s uploadChunked (three chunks
 * in flight each), into Sigill as `npm start` runs it (one worker, the data folder).
 * The figure is the peak of the server's RSS (primary and worker together), sampled
 * from /proc every 50 ms. The attachments are generated as they are read, so the bench
 * process holds only its chunks in flight.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { senderApi } from '../client/sender-api.js';
import { uploadChunked } from '../client/upload.js';
import { generateReceiptKeyPair } from '../shared/receipts.js';
import { sealMessage } from '../shared/seal-message.js';
import { startSigill } from './processes.js';
import { MiB } from './report.js';

const attachmentBytes = 1024 * MiB;
const uploads = 3;
const targetRss = 250 * MiB;

/** Bytes that look like a file, made on demand from their offset (no 1 GiB in memory). */
function generated(size: number) {
  const pattern = new Uint8Array(1 << 16).map((_, i) => (i * 131 + 7) % 251);
  return {
    size,
    read: async (offset: number, length: number) => {
      const out = new Uint8Array(length);
      for (let at = 0; at < length; ) {
        const from = (offset + at) % pattern.length;
        const take = Math.min(pattern.length - from, length - at);
        out.set(pattern.subarray(from, from + take), at);
        at += take;
      }
      return out;
    },
  };
}

/** RSS of a process and its children, from /proc. */
function treeRss(pid: number): number {
  const rssOf = (one: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${one}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  let total = 0;
  for (const one of [pid, ...children]) {
    try {
      total += rssOf(one);
    } catch {
      // a process that just ended
    }
  }
  return total;
}

export async function benchUploads(): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigill-bench-uploads-'));
  const sigill = await startSigill(dataDir, 1, { SIGILL_MAX_MESSAGE_BYTES: String(2 * 1024 * MiB) });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(sigill.child.pid!))), 50);
  try {
    const api = senderApi({ baseUrl: sigill.url, token: sigill.token });
    const { receiptKey } = await generateReceiptKeyPair();
    const started = performance.now();
    const states = await Promise.all(
      Array.from({ length: uploads }, async (_, i) => {
        const source = generated(attachmentBytes);
        const sealed = await sealMessage({
          origin: sigill.url,
          errand: `Bench ${i}`,
          text: 'bench',
          attachments: [{ name: `big-${i}.bin`, type: 'application/octet-stream', size: source.size, open: () => new Blob([]).stream(), read: source.read }],
          recipients: [{ readers: '*' }],
          receiptKey,
        });
        await api.createMessage(sealed.request);
        const payloads = sealed.payloads.map((payload) => ({ index: payload.index, source: { size: payload.plaintext.size, read: payload.plaintext.read! } }));
        return (await uploadChunked(api, { messageId: sealed.request.messageId, secret: sealed.secret, payloads })).state;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const met = peak < targetRss && states.every((state) => state === 'ready');
    console.log(
      `server peak RSS, three 1 GiB uploads  ${(peak / MiB).toFixed(0)} MiB   target < ${targetRss / MiB} MiB  ${met ? 'met' : 'NOT MET'}   (${((uploads * attachmentBytes) / MiB / seconds).toFixed(0)} MiB/s together)`,
    );
    return met;
  } finally {
    clearInterval(sampler);
    sigill.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
