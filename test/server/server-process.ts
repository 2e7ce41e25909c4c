/**
 * Real server processes (`server/main.ts`) for tests that need more than one process
 * or a killed one. They share a BankID simulator started in the test process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BankIdSimulator } from '../../server/bankid/index.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  /** The demo sender's token, when this process made one. */
  token: string | undefined;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export function simulatorEnv(simulator: BankIdSimulator): Record<string, string> {
  return {
    SIGILL_BANKID_URL: simulator.url,
    SIGILL_BANKID_PFX: simulator.rpPfxPath,
    SIGILL_BANKID_PASSPHRASE: simulator.rpPassphrase,
    SIGILL_BANKID_CA: simulator.caPath,
  };
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, PORT: '0', SIGILL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<{ url: string; token: string | undefined }>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${text}`)), 60_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      output.push(chunk.toString());
      const url = /Sigill is running at (\S+)/.exec(text)?.[1];
      const waitingForToken = /demo sender was created/.test(text) && !/\n\s+(sgl_\S+)\n/.test(text);
      if (url && !waitingForToken && (!env.SIGILL_DEMO_SENDER || env.SIGILL_DEMO_SENDER === 'false' || /sgl_\S+/.test(text))) {
        clearTimeout(timer);
        resolve({ url, token: /(sgl_[A-Za-z0-9_-]+)/.exec(text)?.[1] });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${text}${output.join('')}`)));
  });
  const { url, token } = await ready;
  return {
    url,
    child,
    output,
    token,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export { CookieJar } from './cookie-jar.js';
