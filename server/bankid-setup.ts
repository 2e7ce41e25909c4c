import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bankIdBaseUrls, createBankIdClient, startBankIdSimulator, type BankIdClient, type Clock } from './bankid/index.js';
import type { Config } from './config.js';

/**
 * The BankID client the configuration asks for: on the embedded defaults the simulator
 * runs in this process (real mTLS on loopback, its PKI kept in the data folder); for
 * BankID's test or production environment, or a simulator elsewhere (SIGILL_BANKID_URL),
 * the RP certificate and CA from files.
 */
export async function setUpBankId(config: Config, clock: Clock): Promise<{ client: BankIdClient; testAppUrl?: string; close(): Promise<void> }> {
  if (config.bankId === 'simulator' && !config.bankIdUrl) {
    const simulator = await startBankIdSimulator({ dataDir: join(config.dataDir, 'bankid-simulator'), clock });
    const client = createBankIdClient({ baseUrl: simulator.url, pfx: simulator.rpPfx, passphrase: simulator.rpPassphrase, ca: simulator.caPem });
    return {
      client,
      testAppUrl: simulator.testAppUrl,
      async close() {
        client.close();
        await simulator.close();
      },
    };
  }
  const client = createBankIdClient({
    baseUrl: config.bankIdUrl || bankIdBaseUrls[config.bankId === 'production' ? 'production' : 'test'],
    pfx: readFileSync(config.bankIdPfxPath),
    passphrase: config.bankIdPassphrase,
    ca: readFileSync(config.bankIdCaPath, 'utf8'),
  });
  return { client, async close() { client.close(); } };
}
