/**
 * One simulator per test file, on a manual clock, over real mTLS on loopback. The PKI is made once
 * per file in a temporary data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createBankIdClient,
  createManualClock,
  startBankIdSimulator,
  type BankIdClient,
  type BankIdClientOptions,
  type BankIdSimulator,
  type ManualClock,
} from '../../../server/bankid/index.js';

export interface SimulatorFixture {
  simulator: BankIdSimulator;
  clock: ManualClock;
  dataDir: string;
  /** A client with the simulator's RP certificate; closed by `close()`. */
  client(overrides?: Partial<BankIdClientOptions>): BankIdClient;
  close(): Promise<void>;
}

export async function startSimulatorFixture(): Promise<SimulatorFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigill-bankid-'));
  const clock = createManualClock(Date.UTC(2025, 5, 1, 12, 0, 0));
  const simulator = await startBankIdSimulator({ dataDir, clock });
  const clients: BankIdClient[] = [];
  return {
    simulator,
    clock,
    dataDir,
    client(overrides = {}) {
      const client = createBankIdClient({
        baseUrl: simulator.url,
        pfx: simulator.rpPfx,
        passphrase: simulator.rpPassphrase,
        ca: simulator.caPem,
        timeoutMs: 5_000,
        retryDelayMs: 0,
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The QR content an RP page would show now for this order. */
export { qrData, qrTimeAt } from '../../../server/bankid/index.js';

export const endUserIp = '198.51.100.7';
export const alice = { personalNumber: '200211242383', givenName: 'Alva', surname: 'Lindqvist' };
export const bob = { personalNumber: '196802020575', givenName: 'Per', surname: 'Holm' };
