/**
 * `npm run bankid:simulator`: starts the simulator alone and prints where it is.
 * Options by environment: SIGILL_DATA_DIR, BANKID_SIMULATOR_PORT, BANKID_SIMULATOR_TEST_APP_PORT,
 * BANKID_SIMULATOR_HOST.
 */
import { startBankIdSimulator } from './server.js';

// It approves any identity: never where production runs, unless forced (README).
if (process.env.NODE_ENV === 'production' && !/^(1|true|yes|on)$/i.test(process.env.SIGILL_FORCE_SIMULATOR ?? '')) {
  console.error('Refusing to run the BankID simulator with NODE_ENV=production (set SIGILL_FORCE_SIMULATOR=true to run it anyway).');
  process.exit(2);
}
// Its keys are for this user only.
process.umask(0o077);

const simulator = await startBankIdSimulator({
  port: Number(process.env.BANKID_SIMULATOR_PORT ?? 0),
  testAppPort: Number(process.env.BANKID_SIMULATOR_TEST_APP_PORT ?? 0),
  host: process.env.BANKID_SIMULATOR_HOST ?? '127.0.0.1',
});

process.stdout.write(
  [
    'BankID simulator (RP API v6.0) is running.',
    `  RP API (mTLS):     ${simulator.url}`,
    `  Test app:          ${simulator.testAppUrl}`,
    `  CA certificate:    ${simulator.caPath}`,
    `  RP certificate:    ${simulator.rpPfxPath} (passphrase in rp-passphrase.txt next to it)`,
    '',
  ].join('\n'),
);

const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
