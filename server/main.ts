/**
 * `npm start`: the server on its embedded defaults (libsql file in ./data, the BankID
 * simulator in-process, the SMS outbox), or as configured by the environment (README).
 */
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from './app.js';
import { systemClock } from './bankid/index.js';
import { setUpBankId } from './bankid-setup.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createOutboxTransport } from './delivery/sms.js';
import { purge } from './messages/expiry.js';
import { countSenders, createSender } from './senders/senders.js';
import { openStorage } from './store/open.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
const logger = pino({ level: config.logLevel });
const clock = systemClock;
const { store, blobs } = await openStorage(config);
const bankId = await setUpBankId(config, clock);
const sms = createOutboxTransport(clock);
const deps = { config, store, blobs, bankId: bankId.client, sms, clock, logger };
const app = createApp(deps);

await purge(deps);
const purgeTimer = setInterval(() => {
  purge(deps).catch((error: unknown) => logger.error({ event: 'purge_failed', errorName: (error as Error).name }, 'purge failed'));
}, config.purgeIntervalMs);
purgeTimer.unref();

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
  console.log(`Sigill is running at ${url}`);
  console.log(`  API description  ${url}/api/openapi.json`);
  console.log(`  SMS outbox       ${url}/dev/outbox`);
  if (bankId.testAppUrl) console.log(`  BankID test app  ${bankId.testAppUrl}  (the simulator; approve identifications here)`);
  console.log(`  Data folder      ${config.dataDir}`);
  void showDemoSender();
});

/** On the embedded defaults: a demo sender on the first start, its token printed once. */
async function showDemoSender() {
  if (!config.demoSender || (await countSenders(store.senders)) !== 0) return;
  const { token } = await createSender(store.senders, 'Sigill demo', clock.now());
  console.log(`\nA demo sender was created. Its API token (shown once):\n\n  ${token}\n`);
}

function shutdown() {
  logger.info({ event: 'shutdown' }, 'shutting down');
  server.close();
  void bankId.close().finally(() => {
    void Promise.all([store.close(), blobs.close()]).finally(() => process.exit(0));
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
