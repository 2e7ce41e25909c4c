import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../shared/base64url.js';
import { deriveKeys } from '../../shared/keys.js';
import { parseLink } from '../../shared/link.js';
import type { SealedMessage } from '../../shared/seal-message.js';
import { identityFor, startBankIdSimulator, type BankIdSimulator } from '../../server/bankid/index.js';
import { createSender } from '../../server/senders/senders.js';
import { backends, type OpenedBackend } from './backends.js';
import { ciphertextOf, create, seal, upload, uploadHalf } from './process-messages.js';
import { CookieJar, simulatorEnv, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Acceptance 2 of issue 11: three real server processes on one PostgreSQL database and
 * one S3 bucket, each with its own empty data folder, so nothing is shared but those two.
 */
const startsPerLink = 3;
const startsPerIp = 4;
let simulator: BankIdSimulator;
let root: string;
let shared: OpenedBackend;
let servers: ServerProcess[];
let token: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-scale-out-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
  shared = await backends.find((backend) => backend.name === 'postgres+s3')!.open(join(root, 'unused'));
  token = (await createSender(shared.store.senders, 'Regionen', Date.now())).token;
  const env = {
    ...simulatorEnv(simulator),
    ...shared.env,
    SIGILL_DEMO_SENDER: 'false',
    SIGILL_COLLECT_INTERVAL_MS: '200',
    SIGILL_RATE_STARTS_PER_LINK: String(startsPerLink),
    SIGILL_RATE_STARTS_PER_IP: String(startsPerIp),
  };
  // Started together: each applies the (already applied) migrations under the lock.
  servers = await Promise.all([1, 2, 3].map((n) => startServerProcess({ ...env, SIGILL_DATA_DIR: join(root, `process-${n}`) })));
}, 120_000);
afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await shared?.close();
  await simulator?.close();
  rmSync(root, { recursive: true, force: true });
});
// Every test starts with fresh rate-limit windows (they are rows too).
beforeEach(async () => {
  await shared.store.rateLimits.deleteBefore(Date.now() + 86_400_000);
});

const linkIdOf = (sealed: SealedMessage, n = 0) => encodeBase64url(parseLink(sealed.links[n]!).linkId);

/** A browser opening link `n` of a message: starts BankID through `server`. */
async function startThrough(server: ServerProcess, browser: CookieJar, sealed: SealedMessage, n = 0): Promise<Response> {
  const link = parseLink(sealed.links[n]!);
  const authKey = encodeBase64url(deriveKeys(link.secret, Buffer.from(sealed.request.messageId, 'base64url')).auth);
  return browser.fetch(`${server.url}/api/v1/links/${linkIdOf(sealed, n)}/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authKey }),
  });
}

/** Approves a started order in the simulator's test app as `personalNumber`. */
function approve(started: { autoStartToken: string }, personalNumber: string) {
  const identity = identityFor(personalNumber);
  const { orderRef } = simulator.testApp.openByAutoStartToken(started.autoStartToken, { identity });
  simulator.testApp.approve(orderRef, identity);
}

/** Polls through `server` until the verification is no longer pending; the last answer's status and body. */
async function pollUntilDone(server: ServerProcess, browser: CookieJar, verificationId: string): Promise<{ status: number; body: { status?: string; releaseToken?: string; error?: { code: string } } }> {
  for (let i = 0; i < 150; i++) {
    const response = await browser.fetch(`${server.url}/api/v1/verifications/${verificationId}`);
    const body = (await response.json()) as { status?: string; releaseToken?: string; error?: { code: string } };
    if (response.status !== 200 || body.status !== 'pending') return { status: response.status, body };
    await sleep(100);
  }
  throw new Error('the verification stayed pending');
}

describe('[postgres+s3] three server processes on one database and one bucket', () => {
  it('creates through the first, starts through the second, releases through the third and fetches through the first', async () => {
    const [first, second, third] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const sealed = await seal();
    await create(first, token, sealed);
    await upload(first, token, sealed);
    const browser = new CookieJar();
    const started = await startThrough(second, browser, sealed);
    expect(started.status).toBe(201);
    const { verificationId, autoStartToken } = (await started.json()) as { verificationId: string; autoStartToken: string };
    approve({ autoStartToken }, '199908072391');
    const done = await pollUntilDone(third, browser, verificationId);
    expect(done.body.status).toBe('approved');
    const payload = await browser.fetch(`${first.url}/api/v1/links/${linkIdOf(sealed)}/payloads/1`, { headers: { authorization: `Bearer ${done.body.releaseToken}` } });
    expect(payload.status).toBe(200);
    expect(Buffer.from(await payload.arrayBuffer()).equals(await ciphertextOf(sealed, 1))).toBe(true);
    const status = (await (await fetch(`${second.url}/api/v1/messages/${sealed.request.messageId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      links: { reads: number }[];
      receipts: unknown[];
    };
    expect(status.links[0]!.reads).toBe(1);
    expect(status.receipts).toHaveLength(1);
  });

  it('with a read limit of 1, three simultaneous verifications through three processes give exactly one release', async () => {
    const sealed = await seal(1000, { readers: '*', readLimit: 1 });
    await create(servers[0]!, token, sealed);
    await upload(servers[1]!, token, sealed);
    const people = ['199908072391', '196802020575', '200211242383'];
    const browsers = people.map(() => new CookieJar());
    const started = await Promise.all(servers.map((server, n) => startThrough(server, browsers[n]!, sealed)));
    expect(started.map((response) => response.status)).toEqual([201, 201, 201]);
    const verifications = (await Promise.all(started.map((response) => response.json()))) as { verificationId: string; autoStartToken: string }[];
    verifications.forEach((verification, n) => approve(verification, people[n]!));
    // Each polls through a process other than the one it started on, all at once.
    const outcomes = await Promise.all(verifications.map((v, n) => pollUntilDone(servers[(n + 1) % 3]!, browsers[n]!, v.verificationId)));
    const released = outcomes.filter((outcome) => outcome.body.status === 'approved' && outcome.body.releaseToken);
    expect(released).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 410 && outcome.body.error?.code === 'link_exhausted')).toHaveLength(2);
    expect(await shared.rows('SELECT reads FROM links WHERE id = ?', linkIdOf(sealed))).toEqual([{ reads: 1 }]);
    expect(await shared.rows('SELECT token_hash FROM release_tokens WHERE link_id = ?', linkIdOf(sealed))).toHaveLength(1);
  });

  it('counts per-link and per-IP rate limits across all three processes', async () => {
    const sealed = await seal(1000, { readers: '*', recipients: 2 });
    await create(servers[2]!, token, sealed);
    await upload(servers[2]!, token, sealed);
    const browser = new CookieJar();
    const startAll = async (order: number[], link: number) => {
      const statuses: number[] = [];
      for (const n of order) statuses.push((await startThrough(servers[n]!, browser, sealed, link)).status);
      return statuses;
    };
    // Link 0: one start through each process, then a fourth through the first is over the per-link limit of 3.
    expect(await startAll([0, 1, 2, 0], 0)).toEqual([201, 201, 201, 429]);
    // Link 1 is under its own limit, but this IP already started 3 of its 4 here: the second is refused.
    expect(await startAll([1, 2], 1)).toEqual([201, 429]);
  });

  it('SIGKILL of a process in the middle of an upload loses no stored message and leaves nothing half-visible', async () => {
    const [victim, survivor] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const stored = await seal();
    await create(victim, token, stored);
    await upload(victim, token, stored);
    const big = await seal(8 * 1024 * 1024);
    await create(victim, token, big);
    await upload(victim, token, { ...big, payloads: [big.payloads[0]!] });
    const { request: uploading } = await uploadHalf(victim, token, big, 1);
    await sleep(300); // the half is on its way to the bucket
    await victim.kill();
    expect(await uploading).toBeInstanceOf(Error);

    // The other processes carry on: the stored message is whole, the half one invisible.
    const storedLink = await fetch(`${survivor.url}/api/v1/links/${linkIdOf(stored)}`);
    expect(storedLink.status).toBe(200);
    for (const index of [0, 1]) {
      const bytes = Buffer.from(await new Response(await shared.blobs.get(stored.request.messageId, index)).arrayBuffer());
      expect(bytes.equals(await ciphertextOf(stored, index))).toBe(true);
    }
    expect((await fetch(`${survivor.url}/api/v1/links/${linkIdOf(big)}`)).status).toBe(404);
    expect(await shared.blobs.size(big.request.messageId, 1)).toBeUndefined();
    // s3rver (unlike S3) keeps the bytes of a PUT that never finished; whatever it lists is not the whole payload.
    const listed: number[] = [];
    for await (const entry of shared.blobs.list()) if (entry.messageId === big.request.messageId && entry.index === 1) listed.push(entry.size);
    expect(listed.every((size) => size < big.payloads[1]!.length)).toBe(true);
    const status = (await (await fetch(`${survivor.url}/api/v1/messages/${big.request.messageId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      state: string;
      payloadsStored: number;
    };
    expect(status).toMatchObject({ state: 'uploading', payloadsStored: 1 });
  });
});
