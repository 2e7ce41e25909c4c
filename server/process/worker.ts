import { systemClock } from '../bankid/index.js';
import { setUpBankId } from '../bankid-setup.js';
import type { Config } from '../config.js';
import { emailTransportOf } from '../delivery/email-setup.js';
import { smsTransportOf } from '../delivery/providers.js';
import { openStorage } from '../store/open.js';
import { startWebhookWorker } from '../webhooks/worker.js';
import { startHttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import { relayedEmailOutbox, relayedOutbox } from './outbox-relay.js';

/**
 * One HTTP worker of `npm start` (node:cluster; the primary shares the port between
 * them). It opens the shared store (the libsql file in WAL mode, or PostgreSQL) and blobs, reaches BankID directly (on the
 * development defaults the primary's simulator, whose address comes in the environment)
 * and the development outbox through the primary. SIGTERM, SIGINT or losing the primary
 * drain it: it stops accepting, finishes every request in flight, and exits 0.
 */
export async function runWorker(config: Config, worker: number): Promise<void> {
  const clock = systemClock;
  const logger = createLogger(config, worker);
  const { store, blobs } = await openStorage(config);
  const bankId = await setUpBankId(config, clock);
  const sms = config.smsTransport === 'outbox' ? relayedOutbox() : smsTransportOf(config);
  const mail = emailTransportOf(config, { outbox: relayedEmailOutbox });
  const http = await startHttpServer({ config, store, blobs, bankId: bankId.client, sms, ...(mail ? { mail } : {}), clock, logger });
  // Every worker delivers webhooks: the store's claim gives each job to one process at a time.
  const webhooks = startWebhookWorker({ store, config, clock, logger });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'worker_draining' }, 'finishing requests in flight, then exiting');
    void http.drain().finally(async () => {
      // A connection the primary handed over just as the server closed is still on its
      // way; staying connected a moment lets this worker refuse it, and the primary
      // gives it to another worker (exiting at once would leave it hanging).
      await new Promise((resolve) => setTimeout(resolve, 250));
      mail?.close();
      await bankId.close();
      await Promise.all([store.close(), blobs.close()]);
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}
