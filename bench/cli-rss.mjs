/**
 * Loaded with `node --import` into the `sigill` process the CLI benchmark runs: on exit it
 * writes the process's peak resident set size (bytes, from getrusage) to BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
});
