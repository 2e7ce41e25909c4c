/**
 * The extension's upload in Debian's Chromium (issue 12): the built extension sends from
 * the Gmail fixture to Sigill (`npm start`'s server, one worker) as a sender does, and
 *   - the JS heap of the uploading context (the offscreen document), read through CDP
 *     every 100 ms while it seals and uploads a 512 MiB attachment: target < 150 MiB;
 *   - its seal and upload of 256 MiB, from pressing Send to the sealed body, against a
 *     plain `fetch` PUT of a 256 MiB Blob from the extension's service worker to
 *     the bare server (bare-server.ts), taking turns: target ≥ 0.5×.
 * BENCH_EXTENSION_ROUNDS (default 3) measured pairs, after one untimed pair. A line
 * after the speed says where the CPU went on each side, in core-seconds per run:
 * Chromium's renderers, its browser process, its network service and the server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { buildExtension } from '../extension/build.js';
import { launchWithExtension, type ExtensionBrowser } from '../test/extension/chromium.js';
import { routeWebmail } from '../test/extension/fixtures/routes.js';
import { addRecipient, frameHostSelector, pressSendSecure, secureFrame, signIn } from '../test/extension/flow.js';
import { childrenOf, cpuSecondsOf, processCpuSeconds } from './http-load.js';
import { id, startChild, startSigill, type Child } from './processes.js';
import { formatRate, median, MiB, printRatio, takeTurns } from './report.js';

const rounds = Number(process.env.BENCH_EXTENSION_ROUNDS ?? 3);

function randomFile(folder: string, name: string, bytes: number): string {
  const path = join(folder, name);
  writeFileSync(path, '');
  for (let written = 0; written < bytes; written += 16 * MiB) appendFileSync(path, randomBytes(Math.min(16 * MiB, bytes - written)));
  return path;
}

/** One send from the Gmail fixture with `path` attached; seconds from pressing Send to the sealed body. */
async function sendWith(browser: ExtensionBrowser, path: string): Promise<number> {
  const page = await browser.context.newPage();
  try {
    // The fixtures on this page only: routing on the context would pass every request
    // body of the extension's own contexts through Playwright.
    await routeWebmail(page);
    await page.goto('https://mail.google.com/mail/u/0/?view=cm');
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await page.locator('input[name=subjectbox]').fill('Bench');
    await pressSendSecure(page);
    const frame = await secureFrame(page);
    await frame.getByRole('textbox', { name: 'Secure message' }).fill('Bench');
    await frame.locator('#attachments').setInputFiles(path);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByLabel('Who may read: anna@example.se').fill('*');
    const started = performance.now();
    await frame.getByRole('button', { name: 'Send secure' }).click();
    for (;;) {
      if ((await page.locator(frameHostSelector).count()) === 0) return (performance.now() - started) / 1000;
      const said = (await frame.locator('[role=alert].problem').allInnerTexts().catch(() => [])).join(' ').trim();
      if (said) throw new Error(`the send dialog said: ${said}`);
      await page.waitForTimeout(50);
    }
  } finally {
    await page.close();
  }
}

/**
 * Samples the offscreen document's JS heap until stopped; returns the peak. Counted: the
 * V8 heap in use, the embedder's heap and the backing stores of ArrayBuffers (where the
 * chunks' bytes are), all from Runtime.getHeapUsage.
 */
async function sampleUploaderHeap(browser: ExtensionBrowser): Promise<{ stop(): Promise<number> }> {
  const cdp: CDPSession = await browser.context.browser()!.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((info) => info.url.endsWith('/offscreen/offscreen.html'));
  if (!target) throw new Error('no offscreen document: the uploader has not run');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 1;
  type HeapUsage = { usedSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number };
  const waiting = new Map<number, (result: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined && message.result) waiting.get(message.id)?.(message.result);
  });
  // BENCH_CPU_PROF=<folder>: a CPU profile of the offscreen document while it uploads, as offscreen.cpuprofile.
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const messageId = next++;
      waiting.set(messageId, resolve as (result: unknown) => void);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: messageId, method, params }) });
    });
  if (process.env.BENCH_CPU_PROF) {
    await call('Profiler.enable');
    await call('Profiler.start');
  }
  const heap = async () => {
    const result = await call<HeapUsage>('Runtime.getHeapUsage');
    return result.usedSize + (result.embedderHeapUsedSize ?? 0) + (result.backingStorageSize ?? 0);
  };
  let peak = await heap();
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await heap());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (process.env.BENCH_CPU_PROF) {
        const { profile } = await call<{ profile: unknown }>('Profiler.stop');
        writeFileSync(join(process.env.BENCH_CPU_PROF, 'offscreen.cpuprofile'), JSON.stringify(profile));
      }
      await cdp.detach();
      return peak;
    },
  };
}

/** The extension's service worker (it may have been stopped while idle, and started again). */
async function serviceWorker(browser: ExtensionBrowser) {
  const [worker] = browser.context.serviceWorkers();
  return worker ?? (await browser.context.waitForEvent('serviceworker'));
}

/**
 * Makes the plain PUT's Blob of `bytes` random bytes in the service worker, unless it is
 * there already: outside the measured PUT, whose time and CPU are the upload's alone.
 */
async function plainBlobReady(browser: ExtensionBrowser, bytes: number): Promise<void> {
  await (await serviceWorker(browser)).evaluate(async (size) => {
    const global = globalThis as unknown as { benchBlob?: Blob };
    if (global.benchBlob?.size === size) return;
    const part = new Uint8Array(1024 * 1024);
    for (let offset = 0; offset < part.length; offset += 65_536) crypto.getRandomValues(part.subarray(offset, offset + 65_536));
    global.benchBlob = new Blob(Array.from({ length: size / part.length }, () => part));
  }, bytes);
}

/** A plain fetch PUT of plainBlobReady's Blob from the extension's service worker to the bare server; seconds. */
async function plainPut(browser: ExtensionBrowser, url: string, bytes: number): Promise<number> {
  return (await serviceWorker(browser)).evaluate(
    async ([target, size]) => {
      const blob = (globalThis as unknown as { benchBlob?: Blob }).benchBlob;
      if (blob?.size !== size) throw new Error('the plain PUT has no Blob of this size: plainBlobReady first');
      const started = performance.now();
      const response = await fetch(target, { method: 'PUT', body: blob, headers: { 'content-type': 'application/octet-stream' } });
      if (!response.ok) throw new Error(`the bare server answered ${response.status}`);
      return (performance.now() - started) / 1000;
    },
    [url, bytes] as const,
  );
}

/** A process's CPU seconds (http-load.ts), 0 once it has gone. */
function cpuSecondsOrNone(pid: number): number {
  try {
    return processCpuSeconds(pid);
  } catch {
    return 0;
  }
}

/** The bench's Chromium: the browser process (the one loading this extension, with no --type) and everything below it, by kind. */
function chromiumCpu(extensionDir: string): Record<string, number> {
  const commandLine = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const root = pids.find((pid) => commandLine(pid).includes(`--load-extension=${extensionDir}`) && !commandLine(pid).includes('--type='));
  const byKind: Record<string, number> = {};
  const visit = (pid: string) => {
    const line = commandLine(pid);
    const type = /--type=([\w-]+)/.exec(line)?.[1];
    const kind = type === undefined ? 'browser' : type === 'utility' ? (line.includes('network.mojom') ? 'network' : 'utility') : type;
    byKind[kind] = (byKind[kind] ?? 0) + cpuSecondsOrNone(Number(pid));
    let children: number[] = [];
    try {
      children = childrenOf(Number(pid));
    } catch {
      // gone meanwhile
    }
    for (const child of children) visit(String(child));
  };
  if (root) visit(root);
  return byKind;
}

interface Timed {
  seconds: number;
  /** Core-seconds by process kind while it ran. */
  cpu: Record<string, number>;
}

/** Runs `run` and measures the CPU the browser's processes and `server` used meanwhile. */
async function withCpu(extensionDir: string, server: Child, run: () => Promise<number>): Promise<Timed> {
  const before: Record<string, number> = { ...chromiumCpu(extensionDir), server: cpuSecondsOf(server.child.pid) };
  const seconds = await run();
  const after = { ...chromiumCpu(extensionDir), server: cpuSecondsOf(server.child.pid) };
  const cpu: Record<string, number> = {};
  // A process that ended meanwhile (the webmail tab, closed at the end of a send) takes its
  // time with it: a kind can only be undercounted, never below zero.
  for (const [kind, value] of Object.entries(after)) cpu[kind] = Math.max(0, value - (before[kind] ?? 0));
  return { seconds, cpu };
}

/** "renderer 1.62, browser 1.31, network 0.48, server 0.52" (medians over the rounds; kinds that used under 0.05 left out). */
function cpuLine(runs: Timed[]): string {
  const kinds = [...new Set(runs.flatMap((run) => Object.keys(run.cpu)))];
  const order = ['renderer', 'browser', 'network', 'server'];
  kinds.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return kinds
    .map((kind) => [kind, median(runs.map((run) => run.cpu[kind] ?? 0))] as const)
    .filter(([, value]) => value >= 0.05)
    .map(([kind, value]) => `${kind} ${value.toFixed(2)}`)
    .join(', ');
}

export async function benchExtension(): Promise<boolean> {
  const root = mkdtempSync(join(tmpdir(), 'sigill-bench-extension-'));
  const sigill = await startSigill(join(root, 'sigill'), 1, { SIGILL_MAX_MESSAGE_BYTES: String(1024 * MiB) });
  const bare = await startChild(['bench/bare-server.ts', join(root, 'bare')], {}, /listening/);
  let browser: ExtensionBrowser | undefined;
  try {
    const extensionDir = await buildExtension({ test: true, outDir: join('dist', 'extension-bench') });
    browser = await launchWithExtension(extensionDir);
    await signIn(browser.context, browser.extensionId, { url: sigill.url, token: sigill.token, senderName: 'Sigill demo' });
    const large = randomFile(root, 'large.bin', 512 * MiB);
    const medium = randomFile(root, 'medium.bin', 256 * MiB);

    // Speed: the extension against the plain PUT, in turns; the first pair also opens the offscreen document.
    const pairs = await takeTurns(
      rounds,
      { rounds: 1 },
      async () => {
        await plainBlobReady(browser!, 256 * MiB);
        return withCpu(extensionDir, bare, () => plainPut(browser!, `${bare.url}/api/v1/messages/${id()}/payloads/1`, 256 * MiB));
      },
      () => withCpu(extensionDir, sigill, () => sendWith(browser!, medium)),
    );
    const ratios = pairs.map(([plain, extension]) => plain.seconds / extension.seconds);
    const plainSeconds = median(pairs.map(([plain]) => plain.seconds));
    const extensionSeconds = median(pairs.map(([, extension]) => extension.seconds));
    const speedMet = printRatio('extension seal+upload 256 MiB', formatRate((256 * MiB) / extensionSeconds), formatRate((256 * MiB) / plainSeconds), median(ratios), 0.5);
    // Both sides share this machine's cores: what each used says where a send's time goes.
    console.log(`  CPU in core-seconds per run: extension ${cpuLine(pairs.map(([, extension]) => extension))}; plain PUT ${cpuLine(pairs.map(([plain]) => plain))}; load average ${loadavg()[0]!.toFixed(1)}`);

    // Memory: the uploading context's heap while it sends 512 MiB.
    const sampler = await sampleUploaderHeap(browser);
    await sendWith(browser, large);
    const peak = await sampler.stop();
    const heapMet = peak < 150 * MiB;
    console.log(`extension JS heap uploading 512 MiB   ${(peak / MiB).toFixed(0)} MiB   target < 150 MiB  ${heapMet ? 'met' : 'NOT MET'}`);
    return speedMet && heapMet;
  } finally {
    await browser?.close();
    sigill.stop();
    bare.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
