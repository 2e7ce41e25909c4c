/**
 * What the download tests need around the browser: a large attachment generated as a
 * stream (never whole in memory) with its SHA-256, Chromium's downloads saved under
 * their own names in a folder of the test's (so a failed one can be seen not to carry
 * the file's name), and the page's JavaScript memory read through CDP.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { AttachmentSource } from '../../shared/seal-message.js';

const chunkBytes = 1024 * 1024;

/** `size` pseudo-random bytes from `seed` (AES-256-CTR over zeros), streamed chunk by chunk. */
function generated(size: number, seed: number): ReadableStream<Uint8Array> {
  const key = createHash('sha256').update(`sigill-test-${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(chunkBytes);
  let left = size;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (left === 0) return controller.close();
        const take = Math.min(left, chunkBytes);
        left -= take;
        controller.enqueue(new Uint8Array(cipher.update(zeros.subarray(0, take))));
      },
    },
    { highWaterMark: 0 },
  );
}

export interface GeneratedFile {
  source: AttachmentSource;
  /** SHA-256 (hex) of the bytes, by a pass of its own over the generator. */
  sha256(): Promise<string>;
}

export function generatedFile(name: string, size: number, seed: number): GeneratedFile {
  return {
    source: { name, type: 'application/octet-stream', size, open: () => generated(size, seed) },
    async sha256() {
      const hash = createHash('sha256');
      const reader = generated(size, seed).getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) hash.update(next.value);
      return hash.digest('hex');
    },
  };
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface DownloadState {
  name: string;
  state: 'inProgress' | 'completed' | 'canceled';
  receivedBytes: number;
}

export interface ChromiumDownloads {
  /** Every download the page started, by Chromium's guid. */
  all(): DownloadState[];
  /** Waits until the download of `name` has ended, completed or canceled (failed). */
  ended(name: string, timeoutMs: number): Promise<DownloadState>;
}

/**
 * Chromium saves this page's downloads in `folder` under the names the page gave them
 * (while one runs it is `<name>.crdownload`), and reports each one's progress.
 */
export async function saveDownloadsIn(browser: Browser, page: Page, folder: string): Promise<ChromiumDownloads> {
  const pageSession = await page.context().newCDPSession(page);
  const { targetInfo } = await pageSession.send('Target.getTargetInfo');
  await pageSession.detach();
  const session = await browser.newBrowserCDPSession();
  const downloads = new Map<string, DownloadState>();
  session.on('Browser.downloadWillBegin', (event) => downloads.set(event.guid, { name: event.suggestedFilename, state: 'inProgress', receivedBytes: 0 }));
  session.on('Browser.downloadProgress', (event) => {
    const download = downloads.get(event.guid);
    if (download) Object.assign(download, { state: event.state, receivedBytes: event.receivedBytes });
  });
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: folder, eventsEnabled: true, browserContextId: targetInfo.browserContextId! });
  return {
    all: () => [...downloads.values()],
    async ended(name, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const download = [...downloads.values()].find((each) => each.name === name && each.state !== 'inProgress');
        if (download) return download;
        if (Date.now() > deadline) throw new Error(`the download of ${name} did not end in time: ${JSON.stringify([...downloads.values()])}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
}

export interface HeapSampler {
  /** The most JavaScript memory seen: V8's heap, the embedder's, and ArrayBuffer backing stores. */
  peakBytes(): number;
  stop(): Promise<void>;
}

interface HeapUsage {
  usedSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

/**
 * Samples JavaScript memory through CDP (Runtime.getHeapUsage) every `intervalMs`.
 * ArrayBuffers (every chunk of a file) live outside V8's heap, in `backingStorageSize`,
 * which JSHeapUsedSize leaves out: a page that gathered the file in memory would show
 * only there, so it is counted.
 */
function sample(read: () => Promise<HeapUsage | undefined>, close: () => Promise<void>, intervalMs: number): HeapSampler {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const usage = await read().catch(() => undefined);
      if (usage) peak = Math.max(peak, usage.usedSize + (usage.embedderHeapUsedSize ?? 0) + (usage.backingStorageSize ?? 0));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    peakBytes: () => peak,
    async stop() {
      running = false;
      await loop;
      await close().catch(() => undefined);
    },
  };
}

/** The page's JavaScript memory. */
export async function sampleHeap(page: Page, intervalMs = 250): Promise<HeapSampler> {
  const session: CDPSession = await page.context().newCDPSession(page);
  return sample(() => session.send('Runtime.getHeapUsage'), () => session.detach(), intervalMs);
}

/**
 * A service worker's live JavaScript memory (the one whose script URL ends with
 * `script`), through the browser's CDP session: attached to the worker's target, asked
 * by message, each sample after a full garbage collection (a worker that does little
 * else collects seldom, so what it handed on would otherwise still count).
 */
export async function sampleWorkerHeap(browser: Browser, script: string, intervalMs = 250): Promise<HeapSampler> {
  const session = await browser.newBrowserCDPSession();
  const { targetInfos } = await session.send('Target.getTargets');
  const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.endsWith(script));
  if (!worker) throw new Error(`no service worker ${script} is running`);
  const { sessionId } = await session.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  let asked = 0;
  const waiting = new Map<number, (usage: HeapUsage | undefined) => void>();
  session.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: HeapUsage };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const ask = (method: string) =>
    new Promise<HeapUsage | undefined>((resolve) => {
      const id = ++asked;
      waiting.set(id, resolve);
      setTimeout(() => resolve(undefined), 5000);
      void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(() => resolve(undefined));
    });
  const read = async () => {
    await ask('HeapProfiler.collectGarbage');
    return ask('Runtime.getHeapUsage');
  };
  return sample(read, () => session.detach(), intervalMs);
}
