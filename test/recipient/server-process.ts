/**
 * A real server process (`tsx server/main.ts`) on a free port with a fresh data folder
 * and the in-process BankID simulator, as `npm start` runs it; plus the sender's side
 * over real HTTP and the simulator's test app over its HTTP control API, as a phone
 * would use it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateReceiptKeyPair } from '../../shared/receipts.js';
import { sealMessage, type AttachmentSource, type SealedMessage } from '../../shared/seal-message.js';
import { createAndUpload } from '../../client/send.js';
import { senderApi, type SenderApi } from '../../client/sender-api.js';

export const repositoryRoot = new URL('../../', import.meta.url).pathname;

export interface ServerProcess {
  origin: string;
  testAppUrl: string;
  token: string;
  /** client/'s SenderApi for the demo sender. */
  sender: SenderApi;
  send(options: SendOptions): Promise<SealedMessage>;
  revoke(messageId: string): Promise<void>;
  /** POST to the simulator's control API; returns the answer's JSON or throws with its error code. */
  control(path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Everything the server wrote to stdout and stderr so far (its log lines). */
  output(): string;
  close(): Promise<void>;
}

export interface SendOptions {
  readers: '*' | string[];
  errand: string;
  text: string;
  html?: string;
  attachments?: AttachmentSource[];
  readLimit?: number;
  expiresAt?: string;
}

export class ControlError extends Error {
  constructor(readonly code: string) {
    super(`the BankID test app refused: ${code}`);
  }
}

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigill-recipient-'));
  const child = spawn(join(repositoryRoot, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0', SIGILL_DATA_DIR: dataDir, SIGILL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = await new Promise<{ origin: string; testAppUrl: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${output}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const origin = /Sigill is running at (\S+)/.exec(output)?.[1];
      const testAppUrl = /BankID test app\s+(\S+)/.exec(output)?.[1];
      const token = /API token \(shown once\):\s+(\S+)/.exec(output)?.[1];
      if (origin && testAppUrl && token) {
        clearTimeout(timer);
        resolve({ origin: origin.replace('localhost', '127.0.0.1'), testAppUrl: testAppUrl.replace(/\/$/, ''), token });
      }
    });
  });
  const receiptKeys = await generateReceiptKeyPair();
  const sender = senderApi({ baseUrl: started.origin, token: started.token });

  return {
    ...started,
    sender,
    async send(options) {
      const sealed = await sealMessage({
        origin: started.origin,
        errand: options.errand,
        text: options.text,
        ...(options.html !== undefined ? { html: options.html } : {}),
        attachments: options.attachments ?? [],
        recipients: [{ readers: options.readers }],
        receiptKey: receiptKeys.receiptKey,
        ...(options.readLimit !== undefined ? { readLimit: options.readLimit } : {}),
        ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
      });
      await createAndUpload(sender, sealed, { uploads: 'stream' });
      return sealed;
    },
    async revoke(messageId) {
      await sender.revoke(messageId);
    },
    async control(path, body = {}) {
      const response = await fetch(started.testAppUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await response.json()) as Record<string, unknown> & { error?: { code: string } };
      if (!response.ok) throw new ControlError(answer.error?.code ?? String(response.status));
      return answer;
    },
    output: () => output,
    close: () => stop(child, dataDir),
  };
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
