import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, startServerProcess, type ServerProcess } from '../recipient/server-process.js';

/** docs/protocol.md's Node example, run as a reader would paste it, against a real server process. */
let server: ServerProcess;
const folder = mkdtempSync(join(tmpdir(), 'sigill-example-'));

beforeAll(async () => {
  server = await startServerProcess();
}, 180_000);
afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the protocol document’s example', () => {
  it('sends an SMS through the server and prints the email link, then reads the labels back', async () => {
    const document = readFileSync(join(repositoryRoot, 'docs/protocol.md'), 'utf8');
    const example = /### Example: send from Node[\s\S]*?```ts\n([\s\S]*?)```/.exec(document)?.[1];
    expect(example).toContain("from './client/index.js'");
    const file = join(folder, 'send.mts');
    writeFileSync(file, example!.replace("'./client/index.js'", JSON.stringify(join(repositoryRoot, 'client/index.ts'))));
    const { stdout } = await promisify(execFile)(join(repositoryRoot, 'node_modules/.bin/tsx'), [file], {
      cwd: repositoryRoot,
      env: { ...process.env, SIGILL_SERVER: server.origin, SIGILL_TOKEN: server.token },
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('sms +46701234567 sms_sent ');
    expect(lines[1]).toMatch(/^email anna@example\.se hand_over http:\/\/localhost:\d+\/o\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/);
    expect(lines[2]).toBe('Ditt hyresavtal +46701234567; anna@example.se');
  });
});
