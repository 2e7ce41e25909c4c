import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bankIdBaseUrls, createBankIdClient, startBankIdSimulator, type BankIdClient, type BankIdSimulator, type Clock } from './bankid/index.js';
import { ConfigError, type Config } from './config.js';

/**
 * The BankID client the configuration asks for: on the embedded defaults the simulator
 * runs in this process (real mTLS on loopback, its PKI kept in the data folder); for
 * BankID's test or production environment, or a simulator elsewhere (SIGILL_BANKID_URL),
 * the RP certificate and CA from files.
 */
export interface BankIdSetUp {
  client: BankIdClient;
  /** The simulator started in this process, if any (its RP certificate and CA are files in the data folder). */
  simulator?: BankIdSimulator;
  testAppUrl?: string;
  close(): Promise<void>;
}

export async function setUpBankId(config: Config, clock: Clock): Promise<BankIdSetUp> {
  if (config.bankId === 'simulator' && !config.bankIdUrl) {
    const simulator = await startBankIdSimulator({ dataDir: join(config.dataDir, 'bankid-simulator'), testAppPort: config.simulatorTestAppPort, clock }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new ConfigError(`port ${config.simulatorTestAppPort} for the BankID test app is in use; set BANKID_SIMULATOR_TEST_APP_PORT (0: any free port)`);
      },
    );
    const client = createBankIdClient({ baseUrl: simulator.url, pfx: simulator.rpPfx, passphrase: simulator.rpPassphrase, ca: simulator.caPem });
    return {
      client,
      simulator,
      testAppUrl: simulator.testAppUrl.replace('//127.0.0.1:', '//localhost:'),
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
