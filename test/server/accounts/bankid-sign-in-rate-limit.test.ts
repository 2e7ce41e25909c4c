/**
 * Issue 14: BankID sign-in starts are rate limited per client address, with the rate-limit
 * counters in the database (server/verifications/rate-limits.ts), on each back end. Past
 * SIGILL_RATE_STARTS_PER_IP in a window the toolbox's start answers 429 `too_many_attempts`
 * with Retry-After, makes no BankID order and no sign-in, and names no address; another
 * address still starts, and the next window starts again.
 */
import { expect, it, vi } from 'vitest';
import { createApp } from '../../../server/app.js';
import { describeEachBackend } from '../backends.js';
import { useServerPerTest, type TestServer } from '../harness.js';

vi.setConfig({ hookTimeout: 120_000 });

const windowMs = 600_000;

describeEachBackend('rate limits on BankID sign-in starts', (backend) => {
  // Two starts per address in a window; the address is the one trusted proxy's X-Forwarded-For entry.
  const context = useServerPerTest(backend, { startsPerIp: 2, rateWindowMs: windowMs, proxyHops: 1 });

  /** POST /session/bankid (to `app`, the server's by default) as a browser behind the proxy that names `ip`. */
  const start = (ip: string, app: Pick<TestServer['app'], 'request'> = context.server.app) =>
    app.request('/api/v1/session/bankid', {
      method: 'POST',
      headers: { origin: context.server.deps.config.publicOrigin, 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: '{}',
    });
  const signIns = async () => Number((await context.server.rows<{ count: number | string }>('SELECT count(*) AS count FROM sign_ins'))[0]!.count);

  it('answers 429 too_many_attempts with Retry-After past the starts per address, and makes no sign-in; another address and the next window start', async () => {
    const { server, bankId } = context;
    for (let n = 0; n < 2; n++) expect((await start('203.0.113.7')).status).toBe(201);
    expect(await signIns()).toBe(2);

    const refused = await start('203.0.113.7');
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_attempts');
    expect(body.error.message).not.toContain('203.0.113.7');
    const now = bankId.clock.now();
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(Math.ceil((windowMs - (now % windowMs)) / 1000));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await signIns()).toBe(2);
    for (const line of server.logs) expect(line).not.toContain('203.0.113.7');

    expect((await start('198.51.100.2')).status).toBe(201);
    expect((await start('203.0.113.7')).status).toBe(429);

    bankId.clock.advance(retryAfter * 1000);
    expect((await start('203.0.113.7')).status).toBe(201);
  });

  it('counts starts across the server processes that share the database (one store, two apps)', async () => {
    const other = createApp(context.server.deps);
    expect((await start('203.0.113.9')).status).toBe(201);
    expect((await start('203.0.113.9', other)).status).toBe(201);
    expect((await start('203.0.113.9', other)).status).toBe(429);
    expect((await start('203.0.113.9')).status).toBe(429);
  });
});
