/**
 * Runs the CLI as a person types it from a clone, `npm run -s sigill -- …`, in a child
 * process with its own config folder (one folder is one "device"), and collects what it
 * printed and its exit code. The environment's SIGILL_SERVER and SIGILL_TOKEN are
 * removed unless a test gives them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../recipient/server-process.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The device's config folder (SIGILL_CONFIG_DIR). */
  configDir: string;
  /** Written to standard input, which then ends; without it standard input is empty. */
  stdin?: string | Uint8Array;
  env?: Record<string, string>;
  cwd?: string;
}

export function newDevice(): string {
  return join(mkdtempSync(join(tmpdir(), 'sigill-cli-')), 'config');
}

export function sigill(args: string[], options: CliOptions): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, SIGILL_CONFIG_DIR: options.configDir, LANG: 'en_US.UTF-8', TZ: 'UTC', ...options.env };
  for (const name of ['SIGILL_SERVER', 'SIGILL_TOKEN', 'LC_ALL', 'LC_MESSAGES', 'npm_lifecycle_event', 'INIT_CWD']) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const child = spawn('npm', ['run', '--silent', 'sigill', '--', ...args], {
    cwd: options.cwd ?? repositoryRoot,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs the CLI on a terminal of its own (util-linux `script` gives it a pseudo-terminal),
 * types `typed` and Enter once it shows `prompt`, and returns everything the terminal showed.
 */
export function sigillOnTerminal(args: string[], options: { configDir: string; prompt?: string; typed?: string }): Promise<{ code: number | null; screen: string }> {
  const command = ['npm', 'run', '-s', 'sigill', '--', ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, SIGILL_CONFIG_DIR: options.configDir, LANG: 'en_US.UTF-8' };
  for (const name of ['SIGILL_SERVER', 'SIGILL_TOKEN', 'LC_ALL', 'LC_MESSAGES']) delete env[name];
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: repositoryRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.prompt === undefined) child.stdin.end();
  let screen = '';
  let typed = false;
  const onData = (chunk: Buffer) => {
    screen += chunk.toString();
    if (!typed && options.prompt !== undefined && screen.includes(options.prompt)) {
      typed = true;
      child.stdin.write(`${options.typed ?? ''}\r`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, screen }));
  });
}

/**
 * Starts the CLI as one process (`node cli/sigill.js`, or `bin`: the built
 * dist/cli/sigill.mjs; no npm or shell in between), so a test can SIGKILL it mid-send;
 * `done` resolves when it has exited.
 */
export function startSigill(args: string[], options: CliOptions & { bin?: string }): { child: ReturnType<typeof spawn>; done: Promise<CliRun> } {
  const env: NodeJS.ProcessEnv = { ...process.env, SIGILL_CONFIG_DIR: options.configDir, LANG: 'en_US.UTF-8', TZ: 'UTC', ...options.env };
  for (const name of ['SIGILL_SERVER', 'SIGILL_TOKEN', 'LC_ALL', 'LC_MESSAGES', 'npm_lifecycle_event', 'INIT_CWD']) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const child = spawn(process.execPath, [options.bin ?? join(repositoryRoot, 'cli/sigill.js'), ...args], { cwd: options.cwd ?? repositoryRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr }));
  });
  return { child, done };
}
