/**
 * Issue 15 item 8: per-IP rate-limit counters must not let whoever holds the database
 * recover the recipients' IP addresses. The counters' keys are HMACs under a key for
 * the window, derived from a secret kept out of the database (SIGILL_RATE_LIMIT_SECRET
 * or the data folder's rate-limit.key, mode 0600).
 */
import { createHmac } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKeyFile, windowKey } from '../../../server/verifications/rate-limits.js';
import { backends } from '../backends.js';
import { Recipient, startBankId, startServer, type TestServer } from '../harness.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';

const ip = '203.0.113.7';

describe.each(backends)('[$name] rate-limit keys', (backend) => {
  let bankId: SimulatorFixture;
  let server: TestServer;
  beforeAll(async () => {
    bankId = await startBankId();
  });
  afterAll(async () => bankId.close());
  afterEach(async () => server.close());

  async function startFrom(from: string) {
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    const recipient = new Recipient(server.app, sealed.links[0]!);
    const response = await recipient.request(`/api/v1/links/${recipient.linkId}/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ authKey: recipient.authKeyFor(sealed.request.messageId) }),
    });
    expect(response.status).toBe(201);
  }

  /** Every text value in the database, tried as an HMAC key over the address. */
  async function keyedWithSomethingInTheDatabase(keys: string[]): Promise<boolean> {
    const tables = ['meta', 'senders', 'messages', 'links', 'verifications', 'rate_limits'];
    const candidates = new Set<string>();
    for (const table of tables) {
      for (const row of await server.rows<Record<string, unknown>>(`SELECT * FROM ${table}`)) {
        for (const value of Object.values(row)) if (typeof value === 'string' && value.length > 0) candidates.add(value);
      }
    }
    return [...candidates].some((candidate) => {
      const tag = createHmac('sha256', candidate).update(ip).digest('base64url');
      return keys.some((key) => key.endsWith(`:${tag}`));
    });
  }

  it('keys the per-IP counters with nothing the database holds, and a new key each window', async () => {
    server = await startServer(bankId, { proxyHops: 1 }, backend);
    await startFrom(ip);
    const first = (await server.rows<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'start:ip:%'")).map((row) => row.key);
    expect(first).toHaveLength(1);
    expect(await keyedWithSomethingInTheDatabase(first)).toBe(false);
    // The data folder's secret, apart from the database, for the server's user only.
    const secretFile = join(server.dataDir, rateLimitKeyFile);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);

    bankId.clock.advance(server.deps.config.rateWindowMs);
    await startFrom(ip);
    const keys = (await server.rows<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'start:ip:%'")).map((row) => row.key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(await keyedWithSomethingInTheDatabase(keys)).toBe(false);
  });

  it('derives the window keys from SIGILL_RATE_LIMIT_SECRET when it is set', async () => {
    const secret = 'a configured rate-limit secret, 32+ characters long';
    server = await startServer(bankId, { proxyHops: 1, rateLimitSecret: secret }, backend);
    await startFrom(ip);
    const [row] = await server.rows<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE 'start:ip:%'");
    const now = bankId.clock.now();
    const expected = createHmac('sha256', windowKey(secret, server.deps.config.rateWindowMs, now)).update(ip).digest('base64url');
    expect(row!.key).toBe(`start:ip:${expected}`);
  });
});
