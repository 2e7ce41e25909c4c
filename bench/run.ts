/**
 * `npm run bench`: every figure beside a baseline measured in the same run, as a ratio.
 * Exits non-zero when a target is not met. `npm run bench -- --only payload,workers`
 * runs only the named parts (memory, stream, server, payload, workers, uploads, cli, extension, scale-out).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MiB } from './report.js';
import { benchCli } from './cli.js';
import { benchExtension } from './extension.js';
import { benchPayloads } from './payload.js';
import { benchScaleOut } from './scale-out.js';
import { benchServer } from './server.js';
import { benchStreams } from './stream.js';
import { benchUploads } from './uploads.js';
import { benchWorkers } from './workers.js';

const parts = ['memory', 'stream', 'server', 'payload', 'workers', 'uploads', 'cli', 'extension', 'scale-out'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? [...parts] : (process.argv[onlyAt + 1] ?? '').split(',');
const unknown = only.filter((part) => !(parts as readonly string[]).includes(part));
if (unknown.length > 0) throw new Error(`unknown benchmark part ${unknown.join(', ')} (known: ${parts.join(', ')})`);
const runs = (part: (typeof parts)[number]) => only.includes(part);

console.log('Sigill benchmarks (medians; ratios are against the baseline measured just before)\n');
let allMet = true;

if (runs('memory')) {
  const script = fileURLToPath(new URL('./seal-memory.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  const { sealed, peakRss } = JSON.parse(output.trim().split('\n').pop()!) as { sealed: number; peakRss: number };
  const met = peakRss < 200 * MiB && sealed === 1024 * MiB + 16 * 16_384;
  console.log(`peak RSS sealing a 1 GiB stream       ${(peakRss / MiB).toFixed(0)} MiB   target < 200 MiB  ${met ? 'met' : 'NOT MET'}`);
  allMet = met && allMet;
}
if (runs('stream')) {
  allMet = (await benchStreams()) && allMet;
  // For reference, the WebCrypto back end the browsers use, run in Node (no target).
  const reference = fileURLToPath(new URL('./webcrypto-reference.ts', import.meta.url));
  execFileSync(process.execPath, ['--conditions=browser', '--import', 'tsx', reference], { stdio: 'inherit' });
  console.log('');
}
if (runs('server')) allMet = (await benchServer()) && allMet;
if (runs('payload')) allMet = (await benchPayloads()) && allMet;
if (runs('workers')) allMet = (await benchWorkers()) && allMet;
if (runs('uploads')) allMet = (await benchUploads()) && allMet;
if (runs('cli')) allMet = (await benchCli()) && allMet;
if (runs('extension')) allMet = (await benchExtension()) && allMet;
// Reference lines, no target (BENCH_SCALE_OUT=false skips them).
if (runs('scale-out') && process.env.BENCH_SCALE_OUT !== 'false') await benchScaleOut();

process.exit(allMet ? 0 : 1);
