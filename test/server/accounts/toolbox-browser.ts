/**
 * A toolbox browser for server tests: it keeps the session cookie, sends `Origin` as a
 * browser's fetch does (the public origin, or another site's), and signs in with BankID
 * against the simulator by scanning the QR code, as the toolbox page does.
 */
import { expect } from 'vitest';
import type { BankIdSignInStarted, BankIdSignInState } from '../../../shared/api/accounts.js';
import { accountKey } from '../../../server/accounts/identity.js';
import { addUser } from '../../../server/accounts/users.js';
import { identityFor } from '../../../server/bankid/index.js';
import type { UserRecord, UserRole } from '../../../server/store/account-types.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import type { TestServer } from '../harness.js';

export class ToolboxBrowser {
  cookie = '';
  /** Every Set-Cookie header answered, in order. */
  readonly setCookies: string[] = [];
  constructor(
    private readonly server: TestServer,
    readonly origin = server.deps.config.publicOrigin,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers = new Headers();
    if (this.cookie) headers.set('cookie', this.cookie);
    if (method !== 'GET' && method !== 'HEAD') headers.set('origin', this.origin);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const response = await this.server.app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      this.setCookies.push(setCookie);
      this.cookie = setCookie.split(';')[0]!;
    }
    return response;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
    return (await response.json()) as T;
  }

  /** Signs in with BankID by QR as `personalNumber`; answers the final state. */
  async signInWithBankId(bankId: SimulatorFixture, personalNumber: string): Promise<BankIdSignInState> {
    const started = await this.json<BankIdSignInStarted>('POST', '/api/v1/session/bankid', {});
    const first = await this.json<BankIdSignInState>('GET', `/api/v1/session/bankid/${started.signInId}`);
    if (first.status !== 'pending') throw new Error(`sign-in is ${first.status}`);
    const identity = identityFor(personalNumber);
    const { orderRef } = bankId.simulator.testApp.scanQr(first.qr, { identity });
    bankId.simulator.testApp.approve(orderRef, identity);
    bankId.clock.advance(this.server.deps.config.collectIntervalMs);
    return this.json<BankIdSignInState>('GET', `/api/v1/session/bankid/${started.signInId}`);
  }
}

/** Adds a user of the test server's sender. */
export async function userOf(server: TestServer, personalNumber: string, name: string, role: UserRole): Promise<UserRecord> {
  const [sender] = await server.deps.store.senders.list();
  return addUser(server.deps.store, accountKey(server.deps.config), { senderId: sender!.id, personalNumber, name, role }, server.deps.clock.now());
}

/** A signed-in browser of a new user. */
export async function signedInUser(server: TestServer, bankId: SimulatorFixture, personalNumber: string, name: string, role: UserRole) {
  const user = await userOf(server, personalNumber, name, role);
  const browser = new ToolboxBrowser(server);
  expect((await browser.signInWithBankId(bankId, personalNumber)).status).toBe('approved');
  return { user, browser };
}
