/**
 * Run alone (a child process of the benchmark): seals a generated 1 GiB stream and
 * prints the peak resident set size. The stream must hold only a few segments.
 */
import { readFile } from 'node:fs/promises';
import { createSealStream, segmentBytes } from '../shared/stream.js';

const size = 1024 * 1024 * 1024;
const chunk = crypto.getRandomValues(new Uint8Array(segmentBytes));
let sent = 0;
let sealed = 0;
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
await new ReadableStream<Uint8Array>({
  pull(controller) {
    if (sent >= size) return controller.close();
    controller.enqueue(chunk);
    sent += chunk.length;
  },
})
  .pipeThrough(createSealStream(new Uint8Array(32)))
  .pipeTo(new WritableStream({ write: (bytes) => void (sealed += bytes.length) }));
clearInterval(sampler);
// The kernel's own high-water mark of this address space (ru_maxrss would include the parent's, kept across exec).
const highWaterMark = /VmHWM:\s+(\d+) kB/.exec(await readFile('/proc/self/status', 'utf8').catch(() => ''));
peak = Math.max(peak, process.memoryUsage.rss(), highWaterMark ? Number(highWaterMark[1]) * 1024 : 0);
console.log(JSON.stringify({ sealed, peakRss: peak }));
