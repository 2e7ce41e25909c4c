/**
 * Issue 15 item 6: a linkId is not secret, so wrong authKeys from others must never
 * lock the real recipient out. Failures are counted per IP and per link apart: an
 * address that keeps failing is stopped, a link with many failures refuses further
 * wrong keys, and the right key still starts BankID.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../backends.js';
import { Recipient, startBankId, startServer, type TestServer } from '../harness.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';

describe.each(backends)('[$name] wrong authKeys', (backend) => {
  let bankId: SimulatorFixture;
  let server: TestServer;
  beforeAll(async () => {
    bankId = await startBankId();
  });
  afterAll(async () => bankId.close());
  afterEach(async () => server.close());

  async function startAs(recipient: Recipient, ip: string, authKey: string) {
    return recipient.request(`/api/v1/links/${recipient.linkId}/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ authKey }),
    });
  }

  it('never refuses the right authKey because others sent wrong ones for the link', async () => {
    server = await startServer(bankId, { proxyHops: 1, authKeyFailures: 5, startsPerLink: 100 }, backend);
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    const recipient = new Recipient(server.app, sealed.links[0]!);
    const wrong = 'A'.repeat(43);
    const statuses: number[] = [];
    // Five attackers, five wrong keys each: the link's failures are far over its limit.
    for (let attacker = 1; attacker <= 5; attacker++) {
      for (let i = 0; i < 5; i++) statuses.push((await startAs(recipient, `198.51.100.${attacker}`, wrong)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    const right = await startAs(recipient, '203.0.113.7', recipient.authKeyFor(sealed.request.messageId));
    expect(right.status).toBe(201);
  });

  it('stops an address that keeps sending wrong keys, on any link, and no one else', async () => {
    server = await startServer(bankId, { proxyHops: 1, authKeyFailures: 2, startsPerLink: 100 }, backend);
    const sealed = await server.send({ recipients: [{ readers: '*' }, { readers: '*' }, { readers: '*' }, { readers: '*' }, { readers: '*' }] });
    const recipients = sealed.links.map((link) => new Recipient(server.app, link));
    // 4 × authKeyFailures wrong keys from one address, spread over links.
    for (const [n, recipient] of recipients.slice(0, 4).entries()) {
      for (let i = 0; i < 2; i++) expect((await startAs(recipient, '198.51.100.66', 'B'.repeat(42) + 'A')).status, `link ${n}`).toBe(403);
    }
    const last = recipients[4]!;
    const key = last.authKeyFor(sealed.request.messageId);
    expect((await startAs(last, '198.51.100.66', key)).status).toBe(429);
    expect((await startAs(last, '203.0.113.8', key)).status).toBe(201);
  });
});
