import { describe, expect, it, vi } from 'vitest';
import type { BankIdSignInState, Me } from '../../../shared/api/accounts.js';
import { identityFor } from '../../../server/bankid/index.js';
import { backends, describeEachBackend } from '../backends.js';
import { alice, bob } from '../bankid/simulator-fixture.js';
import { startBankId, startServer, useServerPerTest } from '../harness.js';
import { ToolboxBrowser, userOf } from './toolbox-browser.js';

// Each back end's suite starts a BankID simulator (two RSA PKIs): slow on a busy machine.
vi.setConfig({ hookTimeout: 120_000 });

describeEachBackend('signing in to the toolbox with BankID', (backend) => {
  const context = useServerPerTest(backend);

  it('signs a user in by QR against the simulator over mTLS and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const { server, bankId } = context;
    const user = await userOf(server, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const browser = new ToolboxBrowser(server);
    expect(await browser.request('GET', '/api/v1/me')).toHaveProperty('status', 401);

    expect(await browser.signInWithBankId(bankId, alice.personalNumber)).toEqual({ status: 'approved' });
    const cookie = browser.setCookies.at(-1)!;
    expect(cookie).toMatch(/^sigill_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const me = await browser.json<Me>('GET', '/api/v1/me');
    expect(me.user).toEqual({ id: user.id, name: 'Alva Lindqvist', role: 'admin' });
    expect(me.sender.name).toBe('Bostadsbolaget');
    expect(me.passkeys).toEqual([]);
    expect(me.receiptKey).toBeNull();
  });

  it('signs in on the same device with the autoStartToken', async () => {
    const { server, bankId } = context;
    await userOf(server, bob.personalNumber, 'Per Holm', 'member');
    const browser = new ToolboxBrowser(server);
    const { signInId, autoStartToken } = await browser.json<{ signInId: string; autoStartToken: string }>('POST', '/api/v1/session/bankid', {});
    const identity = identityFor(bob.personalNumber);
    const { orderRef } = bankId.simulator.testApp.openByAutoStartToken(autoStartToken, { identity });
    bankId.simulator.testApp.approve(orderRef, identity);
    bankId.clock.advance(server.deps.config.collectIntervalMs);
    expect(await browser.json('GET', `/api/v1/session/bankid/${signInId}`)).toEqual({ status: 'approved' });
    expect((await browser.json<Me>('GET', '/api/v1/me')).user.role).toBe('member');
    // An approved sign-in makes one session only.
    expect((await browser.request('GET', `/api/v1/session/bankid/${signInId}`)).status).toBe(410);
  });

  it('answers unknown_user and sets no cookie when BankID identifies someone who is no user', async () => {
    const { server, bankId } = context;
    const browser = new ToolboxBrowser(server);
    expect(await browser.signInWithBankId(bankId, alice.personalNumber)).toEqual({ status: 'unknown_user' });
    expect(browser.setCookies).toEqual([]);
    expect((await browser.request('GET', '/api/v1/me')).status).toBe(401);
  });

  it('reports BankID’s failure and cancels on request', async () => {
    const { server, bankId } = context;
    const browser = new ToolboxBrowser(server);
    const { signInId } = await browser.json<{ signInId: string }>('POST', '/api/v1/session/bankid', {});
    const pending = await browser.json<BankIdSignInState>('GET', `/api/v1/session/bankid/${signInId}`);
    expect(pending).toMatchObject({ status: 'pending', hintCode: 'outstandingTransaction' });
    const { orderRef } = bankId.simulator.testApp.scanQr((pending as { qr: string }).qr, { identity: identityFor(alice.personalNumber) });
    bankId.simulator.testApp.cancel(orderRef);
    bankId.clock.advance(server.deps.config.collectIntervalMs);
    expect(await browser.json('GET', `/api/v1/session/bankid/${signInId}`)).toEqual({ status: 'failed', hintCode: 'userCancel' });

    const second = await browser.json<{ signInId: string }>('POST', '/api/v1/session/bankid', {});
    expect((await browser.request('DELETE', `/api/v1/session/bankid/${second.signInId}`)).status).toBe(204);
    expect((await browser.request('GET', `/api/v1/session/bankid/${second.signInId}`)).status).toBe(404);
  });

  it('stores no personal identity number at rest after a sign-in (only its keyed hash)', async () => {
    const { server, bankId } = context;
    await userOf(server, alice.personalNumber, 'Alva Lindqvist', 'admin');
    const browser = new ToolboxBrowser(server);
    expect((await browser.signInWithBankId(bankId, alice.personalNumber)).status).toBe('approved');
    const digits = alice.personalNumber;
    const forms = [digits, digits.slice(2), `${digits.slice(2, 8)}-${digits.slice(8)}`, `${digits.slice(0, 8)}-${digits.slice(8)}`];
    const places = await server.backend.placesAtRest();
    expect(places.length).toBeGreaterThan(0);
    for (const [name, content] of places) for (const form of forms) expect(content.includes(form), `${form} in ${name}`).toBe(false);
    for (const line of server.logs) for (const form of forms) expect(line).not.toContain(form);
    const [row] = await server.rows<{ pnr_hash: string }>('SELECT pnr_hash FROM users');
    expect(row!.pnr_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the session cookie on https', () => {
  it('is Secure when the public origin is https', async () => {
    const bankId = await startBankId();
    const server = await startServer(bankId, { publicOrigin: 'https://sigill.example.se' }, backends[0]);
    try {
      await userOf(server, alice.personalNumber, 'Alva Lindqvist', 'admin');
      const browser = new ToolboxBrowser(server);
      expect((await browser.signInWithBankId(bankId, alice.personalNumber)).status).toBe('approved');
      expect(browser.setCookies.at(-1)).toMatch(/; Secure/);
      expect(browser.setCookies.at(-1)).toMatch(/; HttpOnly/);
    } finally {
      await server.close();
      await bankId.close();
    }
  });
});
