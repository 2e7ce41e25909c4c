import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BankIdSignInState, Me } from '../../../shared/api/accounts.js';
import { identityFor } from '../../../server/bankid/index.js';
import { demoAdmin } from '../../../server/accounts/demo-admin.js';
import { startSimulatorFixture, type SimulatorFixture } from '../bankid/simulator-fixture.js';
import { simulatorEnv, startServerProcess, type ServerProcess } from '../server-process.js';

vi.setConfig({ hookTimeout: 180_000, testTimeout: 120_000 });

let bankId: SimulatorFixture;
let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  bankId = await startSimulatorFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'sigill-demo-admin-'));
  server = await startServerProcess({ ...simulatorEnv(bankId.simulator), SIGILL_DATA_DIR: dataDir, SIGILL_DEMO_SENDER: 'true', SIGILL_WORKERS: '1', SIGILL_COLLECT_INTERVAL_MS: '0' });
});
afterAll(async () => {
  await server?.stop();
  await bankId?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo sender’s admin on the development defaults', () => {
  it('is printed in one line by the start, and signs in to the toolbox with BankID as the simulator’s test identity', async () => {
    const printed = server.output.join('').split('\n').filter((line) => line.includes('/toolbox/'));
    expect(printed).toEqual([`  Toolbox          ${server.url}/toolbox/  (Sign in with BankID as Test Testsson, 199908072391, in the test app)`]);

    let cookie = '';
    const call = async (method: string, path: string) => {
      const response = await fetch(server.url + path, { method, headers: { origin: server.url, ...(cookie ? { cookie } : {}) } });
      cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
      return response;
    };
    const { signInId } = (await (await call('POST', '/api/v1/session/bankid')).json()) as { signInId: string };
    const pending = (await (await call('GET', `/api/v1/session/bankid/${signInId}`)).json()) as BankIdSignInState;
    expect(pending.status).toBe('pending');
    const identity = identityFor(demoAdmin.personalNumber);
    const { orderRef } = bankId.simulator.testApp.scanQr((pending as { qr: string }).qr, { identity });
    bankId.simulator.testApp.approve(orderRef, identity);
    let state = pending;
    for (let poll = 0; poll < 20 && state.status === 'pending'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await (await call('GET', `/api/v1/session/bankid/${signInId}`)).json()) as BankIdSignInState;
    }
    expect(state).toEqual({ status: 'approved' });
    const me = (await (await call('GET', '/api/v1/me')).json()) as Me;
    expect(me.user).toMatchObject({ name: 'Test Testsson', role: 'admin' });
    expect(me.sender.name).toBe('Sigill demo');
  });
});
