/**
 * The CLI's lines (issue 12): `sigill send` of a generated attachment (1 GiB; BENCH_CLI_MIB
 * for another size) to a Sigill server process, end to end (seal, chunked upload, stored,
 * the SMS relayed), as its own process running the built CLI (cli/build.ts, what the
 * `sigill` bin runs):
 * - its peak RSS (getrusage, written by bench/cli-rss.mjs as it exits): target < 150 MiB;
 * - its speed against `curl -T` of the same bytes, unsealed, to the bare server
 *   (bench/bare-server.ts writes the body to a file, flushes and renames it): ≥ 0.6×.
 * Baseline and subject take turns (BENCH_CLI_ROUNDS pairs, default 3, after one untimed
 * pair); each message is revoked after its round so its ciphertext leaves the disk.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { senderApi } from '../client/index.js';
import { buildCli } from '../cli/build.js';
import { cpuProfile, id, startChild, startSigill } from './processes.js';
import { formatRate, median, MiB, printRatio, takeTurns } from './report.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const size = Number(process.env.BENCH_CLI_MIB ?? 1024) * MiB;
const rounds = Number(process.env.BENCH_CLI_ROUNDS ?? 3);

/** A file of `bytes` random bytes, written 16 MiB at a time. */
function generate(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(16 * MiB);
  try {
    for (let written = 0; written < bytes; written += block.length) writeSync(fd, randomFillSync(block), 0, Math.min(block.length, bytes - written));
  } finally {
    closeSync(fd);
  }
}

interface Round {
  seconds: number;
  /** The sending process's peak RSS (bytes); 0 for curl. */
  peakRss: number;
}

function curlPut(file: string, url: string): Promise<Round> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile('curl', ['-sS', '--fail', '-T', file, '-o', '/dev/null', url], (error) => (error ? reject(error) : resolve({ seconds: (performance.now() - started) / 1000, peakRss: 0 }))),
  );
}

/** One `sigill send` as its own node process; its seconds, peak RSS and message id. */
function sigillSend(cli: string, file: string, env: Record<string, string>, work: string): Promise<Round & { messageId: string }> {
  const rssFile = join(work, 'rss');
  // BENCH_CPU_PROF profiles the CLI too, beside the server.
  const args = [...cpuProfile, '--import', join(root, 'bench/cli-rss.mjs'), cli];
  const send = ['send', '--to', '0701234567&login=*', '--errand', 'Benchmark', '--text', '-', '--attach', file, '--lang', 'en'];
  const started = performance.now();
  const child = spawn(process.execPath, [...args, ...send], { cwd: root, env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, LANG: 'en_US.UTF-8' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end('Benchmark text.\n');
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const messageId = /^Message ([\w-]{22}) sent/.exec(stdout)?.[1];
      if (code !== 0 || !messageId) return reject(new Error(`sigill send failed (${code}): ${stderr.slice(-500)}`));
      resolve({ seconds, peakRss: Number(readFileSync(rssFile, 'utf8')), messageId });
    }),
  );
}

export async function benchCli(): Promise<boolean> {
  const work = mkdtempSync(join(tmpdir(), 'sigill-bench-cli-'));
  const file = join(work, 'attachment.bin');
  generate(file, size);
  const cli = await buildCli(join(work, 'sigill.mjs'));
  const sigill = await startSigill(join(work, 'sigill'), 1, { SIGILL_MAX_MESSAGE_BYTES: String(size + 64 * MiB), SIGILL_QUOTA_SMS_PER_DAY: '100000' });
  const bare = await startChild(['bench/bare-server.ts', join(work, 'bare')], {}, /listening/);
  try {
    const env = { SIGILL_SERVER: sigill.url, SIGILL_TOKEN: sigill.token, SIGILL_CONFIG_DIR: join(work, 'config') };
    const api = senderApi({ baseUrl: sigill.url, token: sigill.token });
    const messageId = id();
    const pairs = await takeTurns(
      rounds,
      { rounds: 1 },
      () => curlPut(file, `${bare.url}/api/v1/messages/${messageId}/payloads/1`),
      async () => {
        const sent = await sigillSend(cli, file, env, work);
        await api.revoke(sent.messageId);
        return sent;
      },
    );
    const peakRss = Math.max(...pairs.map(([, sent]) => sent.peakRss));
    const rssMet = peakRss < 150 * MiB;
    const label = `${size / MiB} MiB`;
    console.log(`peak RSS of sigill send, ${label} attachment   ${(peakRss / MiB).toFixed(0)} MiB   target < 150 MiB  ${rssMet ? 'met' : 'NOT MET'}`);
    const ratio = median(pairs.map(([curl, sent]) => curl.seconds / sent.seconds));
    const speed = printRatio(
      `sigill send ${label} vs curl -T`,
      formatRate(size / median(pairs.map(([, sent]) => sent.seconds))),
      formatRate(size / median(pairs.map(([curl]) => curl.seconds))),
      ratio,
      0.6,
    );
    console.log('');
    return rssMet && speed;
  } finally {
    sigill.stop();
    bare.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(work, { recursive: true, force: true });
  }
}
