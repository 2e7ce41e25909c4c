/**
 * Issue 12, acceptance 1 for the CLI: `sigill send` uploads in chunks and completes
 * through a proxy that cuts its connection, re-sending no more than the chunks in flight;
 * a `sigill send` killed with SIGKILL goes on with `sigill send --resume`, sending none of
 * the chunks the server holds, and the recipient reads the attachment whole. The resume
 * file is 0600 and holds no link; a file changed since is refused; `--abandon` removes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../cli/build.js';
import { chunkBytes, chunkCount } from '../../client/index.js';
import { sealedLength } from '../../shared/stream.js';
import type { ServerProcess } from '../recipient/server-process.js';
import { startCuttingProxy } from '../support/cutting-proxy.js';
import { newDevice, sigill, startSigill, type CliRun } from './cli-process.js';
import { readInNode } from './read-in-node.js';
import { smsLink, startCliServer } from './recipients.js';

const reader = '199908072391';
const size = 48 * 1024 * 1024 + 12_345; // 10 chunks
const ciphertext = sealedLength(size);
const inFlight = 3;
const linkPattern = /\/o\/[\w-]{22}#/;
let server: ServerProcess;
let work: string;
let file: string;
let digest: string;
let bundle: string;

beforeAll(async () => {
  server = await startCliServer();
  work = mkdtempSync(join(tmpdir(), 'sigill-cli-resume-'));
  file = join(work, 'röntgen.bin');
  writeFileSync(file, randomBytes(size));
  digest = createHash('sha256').update(readFileSync(file)).digest('hex');
  bundle = await buildCli(join(work, 'sigill.mjs'));
}, 180_000);
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

async function signedIn(): Promise<string> {
  const device = newDevice();
  expect((await sigill(['login', '--server', server.origin], { configDir: device, stdin: server.token })).code).toBe(0);
  return device;
}

const sendArgs = (to: string) => ['send', '--to', `${to}&login=${reader}`, '--errand', 'Röntgenbilder', '--text', '-', '--attach', file, '--lang', 'en'];
const stateFile = (device: string) => join(device, 'send-resume.json');
const messageIdOf = (run: CliRun) => /^Message ([\w-]{22}) sent/.exec(run.stdout)?.[1];

/** Starts a send and SIGKILLs it once the resume file says the server holds `held` chunks of the attachment. */
async function killedSend(device: string, to: string, held: number): Promise<{ messageId: string; state: Record<string, unknown> }> {
  const { child, done } = startSigill(sendArgs(to), { configDir: device, stdin: 'Bilderna från i tisdags.\n' });
  let state: { messageId: string; chunks: Record<string, number[]> } | undefined;
  for (let i = 0; i < 6000 && child.exitCode === null; i++) {
    try {
      state = JSON.parse(readFileSync(stateFile(device), 'utf8')) as typeof state;
    } catch {
      state = undefined; // not written yet, or being replaced
    }
    if ((state?.chunks['1']?.length ?? 0) >= held) break;
    await sleep(5);
  }
  child.kill('SIGKILL');
  const run = await done;
  expect(run.code).toBe(-1); // killed, not finished
  expect(state).toBeDefined();
  return { messageId: state!.messageId, state: state as unknown as Record<string, unknown> };
}

describe('sigill send, chunked and resumable', { timeout: 300_000 }, () => {
  it('the built bin completes through a proxy that cuts the connection twice; only the chunks in flight were sent again', async () => {
    const device = await signedIn();
    const proxy = await startCuttingProxy({ target: server.origin, cutAfterBytes: 13 * 1024 * 1024, cuts: 2 });
    try {
      const run = await startSigill(sendArgs('0701234501'), { configDir: device, stdin: 'Bilderna.\n', env: { SIGILL_SERVER: proxy.url }, bin: bundle }).done;
      expect(run.stderr).toMatch(/Uploading 48\.0 MiB \/ 48\.0 MiB \(100%\)/);
      expect(run.code).toBe(0);
      expect(proxy.cuts).toBe(2);
      const resent = proxy.bytesToServer - ciphertext;
      expect(resent).toBeGreaterThan(0);
      expect(resent).toBeLessThan(2 * inFlight * chunkBytes + 1024 * 1024); // per cut at most the chunks in flight, plus requests' headers
      const messageId = messageIdOf(run)!;
      expect((await server.sender.message(messageId)).state).toBe('ready');
      expect(existsSync(stateFile(device))).toBe(false); // removed once every chunk was held
    } finally {
      await proxy.close();
    }
  });

  it('a killed send goes on with --resume without sending a stored chunk again, and the recipient reads the file whole', async () => {
    const device = await signedIn();
    const { messageId, state } = await killedSend(device, '0701234502', 3);
    expect(statSync(stateFile(device)).mode & 0o777).toBe(0o600);
    const stateText = readFileSync(stateFile(device), 'utf8');
    expect(stateText).not.toMatch(linkPattern);
    expect(stateText).not.toContain('Bilderna från i tisdags');
    expect(state).toMatchObject({ messageId, attachments: [{ path: file, size }] });

    // Chunks whose bodies were all sent before the kill may still be landing on the server: wait until what it holds stays put.
    let held = await server.sender.payloadUpload(messageId, 1);
    for (let settled = 0; settled < 2; ) {
      await sleep(1000);
      const again = await server.sender.payloadUpload(messageId, 1);
      settled = again.chunks.length === held.chunks.length ? settled + 1 : 0;
      held = again;
    }
    expect(held.complete).toBe(false);
    expect(held.chunks.length).toBeGreaterThanOrEqual(3);
    const heldBytes = held.chunks.reduce((sum, chunk) => sum + Math.min(chunkBytes, ciphertext - chunk * chunkBytes), 0);

    const proxy = await startCuttingProxy({ target: server.origin });
    try {
      const run = await sigill(['send', '--resume'], { configDir: device, env: { SIGILL_SERVER: proxy.url } });
      expect(run.stderr).toContain(`Resuming the send of message ${messageId}`);
      expect(run.code).toBe(0);
      expect(messageIdOf(run)).toBe(messageId);
      expect(run.stdout).toContain('SMS sent');
      const missing = ciphertext - heldBytes;
      expect(proxy.bytesToServer).toBeGreaterThanOrEqual(missing);
      expect(proxy.bytesToServer).toBeLessThan(missing + (chunkCount(ciphertext) + 10) * 2048); // the missing chunks and the requests' headers, nothing stored again
    } finally {
      await proxy.close();
    }
    expect(existsSync(stateFile(device))).toBe(false);
    const read = await readInNode(server, await smsLink(server, '+46701234502'), reader);
    expect(read.text).toBe('Bilderna från i tisdags.\n');
    expect(read.sha256).toEqual([digest]);
  });

  it('refuses to resume a file that changed since, refuses a new send while one is stopped, and --abandon removes the resume file', async () => {
    const device = await signedIn();
    const { messageId } = await killedSend(device, '0701234503', 1);
    const before = statSync(file);
    utimesSync(file, before.atime, new Date(before.mtimeMs + 5_000));
    try {
      const refused = await sigill(['send', '--resume'], { configDir: device });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${file} changed since the send began`);
      expect(refused.stderr).toContain('(attachment_changed)');
      expect(existsSync(stateFile(device))).toBe(true);

      const status = await sigill(['status', messageId], { configDir: device });
      expect(status.stdout).toContain(`${messageId}  uploading`);
      expect(status.stdout).toContain('its send stopped on this device: sigill send --resume goes on with it');

      const another = await sigill(sendArgs('0701234503'), { configDir: device, stdin: 'x\n' });
      expect(another.code).toBe(1);
      expect(another.stderr).toContain(`the send of message ${messageId}`);
      expect(another.stderr).toContain('(send_unfinished)');

      const abandoned = await sigill(['send', '--abandon'], { configDir: device });
      expect(abandoned.code).toBe(0);
      expect(abandoned.stdout).toContain(`The send of message ${messageId} is abandoned`);
      expect(existsSync(stateFile(device))).toBe(false);
      expect((await server.sender.message(messageId)).state).toBe('revoked');
      expect((await sigill(['send', '--resume'], { configDir: device })).stderr).toContain('(nothing_to_resume)');
    } finally {
      utimesSync(file, before.atime, before.mtime);
    }
  });
});
