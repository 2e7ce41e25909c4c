import cluster, { type Worker } from 'node:cluster';
import { readFileSync } from 'node:fs';
import { systemClock } from '../bankid/index.js';
import { setUpBankId, type BankIdSetUp } from '../bankid-setup.js';
import { defaultPublicOrigin, type Config } from '../config.js';
import { createOutboxTransport, type OutboxTransport } from '../delivery/sms.js';
import { bounceListenerOf, emailTransportOf } from '../delivery/email-setup.js';
import { smsTransportOf } from '../delivery/providers.js';
import { purge } from '../messages/expiry.js';
import { countSenders, createSender, listSenders } from '../senders/senders.js';
import { addDemoAdmin, hasDemoAdmin } from '../accounts/demo-admin.js';
import type { AppDeps } from '../deps.js';
import { openStorage } from '../store/open.js';
import { adoptPort, startHttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import { serveOutboxToWorkers } from './outbox-relay.js';
import { startupText } from './startup-text.js';
import { startWebhookWorker } from '../webhooks/worker.js';

/**
 * `npm start`'s first process. It migrates the database, makes the demo sender, runs
 * what must exist once (the BankID simulator and the SMS outbox on the development
 * defaults, the periodic purge), and serves HTTP: itself with SIGILL_WORKERS=1, else
 * through that many node:cluster workers, restarting any that exits. SIGHUP restarts
 * the workers one by one; SIGTERM and SIGINT drain them all, then stop.
 */
export async function runPrimary(config: Config): Promise<void> {
  const clock = systemClock;
  const logger = createLogger(config, 0);
  const { store, blobs } = await openStorage(config);
  const bankId = await setUpBankId(config, clock);
  const outbox = config.smsTransport === 'outbox' ? createOutboxTransport(clock) : undefined;
  let demoToken: string | undefined;
  if (config.demoSender && (await countSenders(store.senders)) === 0) {
    const demo = await createSender(store.senders, 'Sigill demo', clock.now());
    await addDemoAdmin(store, config, demo.sender.id, clock.now());
    demoToken = demo.token;
  }
  const demoAdminExists = config.demoSender && (await hasDemoAdmin(store, config));
  const senders = (await listSenders(store.senders)).filter((sender) => sender.revokedAt === null);

  await purge({ store, blobs, clock, logger, config });
  const purgeTimer = setInterval(() => {
    purge({ store, blobs, clock, logger, config }).catch((error: unknown) => logger.error({ event: 'purge_failed', errorName: (error as Error).name }, 'purge failed'));
  }, config.purgeIntervalMs);
  purgeTimer.unref();
  const bounces = await bounceListenerOf(config, { deliveries: store.deliveries, clock, logger });
  const mail = emailTransportOf(config, { outbox: config.workers === 1, clock });

  const serving =
    config.workers === 1
      ? await serveInProcess({ config, store, blobs, bankId: bankId.client, sms: outbox ?? smsTransportOf(config), ...(mail ? { mail } : {}), clock, logger: createLogger(config, 1) })
      : await serveWithWorkers(config, bankId, outbox, logger);
  console.log(
    startupText(config, {
      url: defaultPublicOrigin(config.host, serving.port),
      workers: config.workers,
      testAppUrl: bankId.testAppUrl,
      demoToken,
      demoAdmin: demoAdminExists,
      senderId: senders.length === 1 ? senders[0]!.id : undefined,
      cli: hasCli(),
    }),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown' }, 'shutting down');
    void serving.stop().finally(async () => {
      mail?.close();
      await bounces?.close();
      await bankId.close();
      await Promise.all([store.close(), blobs.close()]);
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', () => void serving.restart());
}

/** Whether this checkout has the `sigill` CLI script, so the next steps name only what exists. */
function hasCli(): boolean {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts?: Record<string, string> };
    return typeof manifest.scripts?.sigill === 'string';
  } catch {
    return false;
  }
}

interface Serving {
  port: number;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** SIGILL_WORKERS=1: this process serves HTTP itself, as worker 1. */
async function serveInProcess(deps: AppDeps): Promise<Serving> {
  const http = await startHttpServer(deps);
  const webhooks = startWebhookWorker(deps);
  return {
    port: http.port,
    stop: async () => {
      await http.drain();
      await webhooks.stop();
    },
    async restart() {
      deps.logger.warn({ event: 'restart_ignored' }, 'SIGHUP restarts workers; with SIGILL_WORKERS=1 there are none');
    },
  };
}

async function serveWithWorkers(config: Config, bankId: BankIdSetUp, outbox: OutboxTransport | undefined, logger: ReturnType<typeof createLogger>): Promise<Serving> {
  if (outbox) serveOutboxToWorkers(outbox);
  // The workers reach the primary's simulator as a simulator elsewhere: its RP
  // certificate and CA are files in the data folder.
  const simulator = bankId.simulator;
  const env: Record<string, string> = simulator
    ? { SIGILL_BANKID_URL: simulator.url, SIGILL_BANKID_PFX: simulator.rpPfxPath, SIGILL_BANKID_PASSPHRASE: simulator.rpPassphrase, SIGILL_BANKID_CA: simulator.caPath }
    : {};
  const slotOf = new Map<Worker, number>();
  const retired = new WeakSet<Worker>();
  let stopping = false;

  const fork = (slot: number) =>
    new Promise<number>((resolve, reject) => {
      const worker = cluster.fork({ ...env, SIGILL_WORKER: String(slot) });
      const startedAt = Date.now();
      slotOf.set(worker, slot);
      logger.debug({ event: 'worker_started', slot, workerPid: worker.process.pid }, 'worker started');
      worker.once('listening', (address) => resolve(address.port));
      worker.once('exit', (code, signal) => {
        slotOf.delete(worker);
        reject(new Error(`worker ${slot} exited (${code ?? signal}) before listening`));
        if (stopping || retired.has(worker)) return;
        logger.warn({ event: 'worker_exited', slot, workerPid: worker.process.pid, code, signal }, 'worker exited; starting another');
        // A worker that dies at once is likely to again: do not spin.
        setTimeout(() => {
          if (!stopping) fork(slot).catch(() => undefined);
        }, Date.now() - startedAt < 5_000 ? 1_000 : 50);
      });
    });

  const ports = await Promise.all(Array.from({ length: config.workers }, (_, index) => fork(index + 1)));
  const port = ports[0]!;
  adoptPort(config, port);

  const exitOf = (worker: Worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve())));
  return {
    port,
    async stop() {
      stopping = true;
      const workers = [...slotOf.keys()];
      for (const worker of workers) worker.process.kill('SIGTERM');
      await Promise.all(workers.map(exitOf));
    },
    async restart() {
      // One at a time, each replaced before its predecessor drains: no moment without a worker.
      for (const [worker, slot] of [...slotOf]) {
        if (stopping) return;
        await fork(slot).catch(() => undefined);
        retired.add(worker);
        worker.process.kill('SIGTERM');
        await exitOf(worker);
      }
      logger.info({ event: 'workers_restarted' }, 'workers restarted');
    },
  };
}
