/**
 * `npm run bench`: every figure beside a baseline measured in the same run, as a ratio.
 * Exits non-zero when a target is not met.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MiB } from './report.js';
import { benchScaleOut } from './scale-out.js';
import { benchServer } from './server.js';
import { benchStreams } from './stream.js';

console.log('Sigill benchmarks (medians; ratios are against the baseline measured just before)\n');

const script = fileURLToPath(new URL('./seal-memory.ts', import.meta.url));
const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
const { sealed, peakRss } = JSON.parse(output.trim().split('\n').pop()!) as { sealed: number; peakRss: number };
const met = peakRss < 200 * MiB && sealed === 1024 * MiB + 16 * 16_384;
console.log(`peak RSS sealing a 1 GiB stream       ${(peakRss / MiB).toFixed(0)} MiB   target < 200 MiB  ${met ? 'met' : 'NOT MET'}`);
let allMet = met;
allMet = (await benchStreams()) && allMet;
// For reference, the WebCrypto back end the browsers use, run in Node (no target).
const reference = fileURLToPath(new URL('./webcrypto-reference.ts', import.meta.url));
execFileSync(process.execPath, ['--conditions=browser', '--import', 'tsx', reference], { stdio: 'inherit' });
console.log('');
allMet = (await benchServer()) && allMet;
if (process.env.BENCH_SCALE_OUT !== 'false') await benchScaleOut();

process.exit(allMet ? 0 : 1);
