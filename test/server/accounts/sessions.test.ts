import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { alice } from '../bankid/simulator-fixture.js';
import { purge } from '../../../server/messages/expiry.js';
import { useServerPerTest } from '../harness.js';
import { signedInUser, ToolboxBrowser } from './toolbox-browser.js';

// The file's BankID simulator makes two RSA PKIs: slow on a busy machine.
vi.setConfig({ hookTimeout: 120_000 });

describe('toolbox sessions', () => {
  const context = useServerPerTest();
  const minute = 60_000;

  it('ends a session left idle longer than the idle timeout, and keeps one in use', async () => {
    const { server, bankId } = context;
    const { browser } = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const idle = server.deps.config.sessionIdleMs;
    expect(idle).toBe(30 * minute);
    bankId.clock.advance(idle - minute);
    expect((await browser.request('GET', '/api/v1/me')).status).toBe(200);
    bankId.clock.advance(idle - minute); // idle again almost as long: still live, the last request counted
    expect((await browser.request('GET', '/api/v1/me')).status).toBe(200);
    bankId.clock.advance(idle + 1);
    const expired = await browser.request('GET', '/api/v1/me');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('signed_out');
    // The expired cookie is cleared, and the session does not come back.
    expect(browser.setCookies.at(-1)).toMatch(/^sigill_session=;.*Max-Age=0/);
    expect((await browser.request('GET', '/api/v1/messages')).status).toBe(401);
  });

  it('ends a session at the absolute timeout however busy it is', async () => {
    const { server, bankId } = context;
    const { browser } = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const { sessionIdleMs, sessionMaxMs } = server.deps.config;
    expect(sessionMaxMs).toBe(12 * 60 * minute);
    let passed = 0;
    while (passed + sessionIdleMs / 2 < sessionMaxMs) {
      bankId.clock.advance(sessionIdleMs / 2);
      passed += sessionIdleMs / 2;
      expect((await browser.request('GET', '/api/v1/me')).status, `after ${passed / minute} minutes`).toBe(200);
    }
    bankId.clock.advance(sessionMaxMs - passed);
    expect((await browser.request('GET', '/api/v1/me')).status).toBe(401);
  });

  it('signs out: the session row is gone, the cookie is cleared and the old cookie no longer works', async () => {
    const { server, bankId } = context;
    const { browser } = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const stolen = browser.cookie;
    expect(await server.rows('SELECT id_hash FROM sessions')).toHaveLength(1);
    const out = await browser.request('DELETE', '/api/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^sigill_session=;.*Max-Age=0.*HttpOnly/);
    expect(await server.rows('SELECT id_hash FROM sessions')).toHaveLength(0);
    const replay = new ToolboxBrowser(server);
    replay.cookie = stolen;
    expect((await replay.request('GET', '/api/v1/me')).status).toBe(401);
  });

  it('forgets sessions past their idle timeout at the purge', async () => {
    const { server, bankId } = context;
    await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'admin');
    await purge(server.deps);
    expect(await server.rows('SELECT id_hash FROM sessions')).toHaveLength(1);
    bankId.clock.advance(server.deps.config.sessionIdleMs);
    await purge(server.deps);
    expect(await server.rows('SELECT id_hash FROM sessions')).toHaveLength(0);
  });

  it('stores the session only as the SHA-256 of its cookie', async () => {
    const { server, bankId } = context;
    const { browser } = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const value = browser.cookie.split('=')[1]!;
    const rows = await server.rows<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(rows.map((row) => row.id_hash)).toEqual([createHash('sha256').update(value).digest('base64url')]);
    expect(rows[0]!.id_hash).not.toBe(value);
  });

  it('answers 401 to a signed-out browser on the toolbox’s API', async () => {
    const { server } = context;
    const browser = new ToolboxBrowser(server);
    for (const [method, path] of [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/messages'],
      ['GET', '/api/v1/users'],
      ['GET', '/api/v1/tokens'],
      ['PUT', '/api/v1/me/receipt-key'],
      ['POST', '/api/v1/me/passkeys/options'],
    ] as const) {
      const response = await browser.request(method, path, method === 'PUT' ? { publicKey: 'A'.repeat(43), wrapped: [] } : method === 'POST' ? {} : undefined);
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it('refuses a cross-site POST made with the session cookie (403 origin_refused), and one without Origin', async () => {
    const { server, bankId } = context;
    const { browser } = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const evil = new ToolboxBrowser(server, 'https://evil.example');
    evil.cookie = browser.cookie;
    const refused = await evil.request('POST', '/api/v1/tokens', { name: 'stolen' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('origin_refused');
    expect((await evil.request('DELETE', '/api/v1/session')).status).toBe(403);
    const bare = await server.app.request('/api/v1/tokens', { method: 'POST', headers: { cookie: browser.cookie, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(bare.status).toBe(403);
    // Nothing was made, and the same request from the toolbox's own origin works.
    expect((await browser.json<{ tokens: unknown[] }>('GET', '/api/v1/tokens')).tokens).toHaveLength(1);
    expect((await browser.request('POST', '/api/v1/tokens', { name: 'CI' })).status).toBe(201);
    // Reading cross-site is not a state change (and the browser's CORS keeps the answer from the other site).
    expect((await evil.request('GET', '/api/v1/me')).status).toBe(200);
  });

  it('refuses a sign-in started from another site (no login CSRF)', async () => {
    const { server } = context;
    const evil = new ToolboxBrowser(server, 'https://evil.example');
    expect((await evil.request('POST', '/api/v1/session/bankid', {})).status).toBe(403);
    expect((await evil.request('POST', '/api/v1/session/passkey/options', {})).status).toBe(403);
  });

  it('keeps bearer tokens working beside sessions, with no Origin needed', async () => {
    const { server } = context;
    expect((await server.api('GET', '/api/v1/tokens')).status).toBe(200);
    expect((await server.api('POST', '/api/v1/tokens', { name: 'script' })).status).toBe(201);
    const me = await new ToolboxBrowser(server).request('GET', '/api/v1/me');
    expect(me.status).toBe(401);
  });
});
