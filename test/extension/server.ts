/**
 * A real Sigill server for the browser tests: the app from server/app.ts over real HTTP
 * on 127.0.0.1 (a free port), a temporary data folder, the BankID simulator in-process
 * over mTLS on the system clock, and the SMS outbox. One sender with an API token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { build } from 'vite';
import { getRequestListener } from '@hono/node-server';
import pino from 'pino';
import { createApp } from '../../server/app.js';
import { systemClock } from '../../server/bankid/index.js';
import { setUpBankId } from '../../server/bankid-setup.js';
import { loadConfig } from '../../server/config.js';
import { createRecipientPage } from '../../server/recipient-page/routes.js';
import { createOutboxTransport, type OutboxTransport } from '../../server/delivery/sms.js';
import { createSender } from '../../server/senders/senders.js';
import { openStorage } from '../../server/store/open.js';

export interface RunningServer {
  url: string;
  token: string;
  senderName: string;
  dataDir: string;
  testAppUrl: string;
  outbox: OutboxTransport;
  /** Every request the server answered, as `METHOD /path?query`, in order. */
  requests: string[];
  close(): Promise<void>;
}

const projectRoot = join(import.meta.dirname, '..', '..');

/**
 * The recipient page (recipient/), built into a folder of these tests' own, so that
 * other tests building dist/recipient at the same time cannot pull it away.
 */
async function buildRecipientPage(): Promise<string> {
  const outDir = join(projectRoot, 'dist', 'extension-test', 'recipient');
  await build({ configFile: join(projectRoot, 'recipient', 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function startServer(): Promise<RunningServer> {
  const recipientDir = await buildRecipientPage();
  const dataDir = mkdtempSync(join(tmpdir(), 'sigill-extension-server-'));
  // Listen first: the port goes into the configuration (the links' origin).
  let handle: (request: IncomingMessage, response: ServerResponse) => unknown = (_request, response) => response.writeHead(503).end();
  const listener = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const config = { ...loadConfig({ SIGILL_DATA_DIR: dataDir, PORT: String(port), SIGILL_PUBLIC_ORIGIN: url, BANKID_SIMULATOR_TEST_APP_PORT: '0' }), collectIntervalMs: 0 };
  const { store, blobs } = await openStorage(config);
  const bankId = await setUpBankId(config, systemClock);
  const outbox = createOutboxTransport(systemClock);
  const logger = pino({ level: 'silent' });
  const app = createApp({ config, store, blobs, bankId: bankId.client, sms: outbox, clock: systemClock, logger });
  const recipientPage = createRecipientPage({ distDir: recipientDir });
  // The page and its assets both from this build: the app's own route serves dist/recipient,
  // which may hold another build (other hashes) or none.
  const ownPage = (path: string) => path.startsWith('/o/') || path.startsWith('/assets/');
  const requests: string[] = [];
  handle = getRequestListener((request) => {
    const { pathname, search } = new URL(request.url);
    requests.push(`${request.method} ${pathname}${search}`);
    return ownPage(pathname) ? recipientPage.fetch(request) : app.fetch(request);
  });
  const senderName = 'Bostadsbolaget';
  const { token } = await createSender(store.senders, senderName, Date.now());
  return {
    url,
    token,
    senderName,
    dataDir,
    testAppUrl: bankId.testAppUrl ?? '',
    outbox,
    requests,
    async close() {
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        listener.closeAllConnections();
      });
      await bankId.close();
      await Promise.all([store.close(), blobs.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
