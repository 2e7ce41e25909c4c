/**
 * Runs the simulator: the RP API over HTTPS with mutual TLS (only client certificates from the
 * simulator's CA get through the handshake) and the test app over plain HTTP, both on loopback.
 *
 * @example
 * const simulator = await startBankIdSimulator({ dataDir, clock });
 * const client = createBankIdClient({ baseUrl: simulator.url, pfx: simulator.rpPfx, passphrase: simulator.rpPassphrase, ca: simulator.caPem });
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { systemClock, type Clock } from '../clock.js';
import { createSimulatorCore, type SimulatorCore } from './core.js';
import { loadOrCreatePki, type SimulatorPki } from './pki.js';
import { createRpApiApp } from './rp-api.js';
import { createTestAppRoutes } from './test-app-routes.js';
import { createTestApp, type TestApp } from './test-app.js';

export interface BankIdSimulatorApps {
  /** The RP API; serve it behind mTLS, or call `rpApi.request()` in-process. */
  rpApi: Hono<any>;
  /** The test app's page and control API. */
  testAppRoutes: Hono;
  testApp: TestApp;
  core: SimulatorCore;
}

/** The simulator's Hono apps on a PKI and a clock, without servers. */
export function createBankIdSimulatorApps({ pki, clock = systemClock }: { pki: SimulatorPki; clock?: Clock }): BankIdSimulatorApps {
  const core = createSimulatorCore({ pki, clock });
  const testApp = createTestApp(core);
  return { rpApi: createRpApiApp(core), testAppRoutes: createTestAppRoutes(core, testApp), testApp, core };
}

export interface BankIdSimulatorOptions {
  /** Where the PKI is kept; default `${SIGILL_DATA_DIR:-./data}/bankid-simulator`. */
  dataDir?: string;
  /** RP API port; default 0 (any free port). */
  port?: number;
  /** Test app port; default 0. */
  testAppPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  clock?: Clock;
}

export interface BankIdSimulator extends BankIdSimulatorApps {
  /** RP API base URL, e.g. `https://127.0.0.1:41234/rp/v6.0/`. */
  url: string;
  testAppUrl: string;
  caPem: string;
  caPath: string;
  rpPfx: Buffer;
  rpPfxPath: string;
  rpPassphrase: string;
  close(): Promise<void>;
}

export function defaultSimulatorDataDir(): string {
  return join(process.env.SIGILL_DATA_DIR ?? './data', 'bankid-simulator');
}

export async function startBankIdSimulator(options: BankIdSimulatorOptions = {}): Promise<BankIdSimulator> {
  const host = options.host ?? '127.0.0.1';
  const stored = loadOrCreatePki(options.dataDir ?? defaultSimulatorDataDir());
  const { pki } = stored;
  const apps = createBankIdSimulatorApps({ pki, clock: options.clock ?? systemClock });
  const rpServer = createAdaptorServer({
    fetch: apps.rpApi.fetch,
    createServer: createHttpsServer,
    serverOptions: {
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      ca: [pki.root.certPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  }) as HttpsServer;
  const testAppServer = createAdaptorServer({ fetch: apps.testAppRoutes.fetch }) as HttpServer;
  const rpPort = await listen(rpServer, options.port ?? 0, host);
  const testAppPort = await listen(testAppServer, options.testAppPort ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...apps,
    url: `https://${urlHost}:${rpPort}/rp/v6.0/`,
    testAppUrl: `http://${urlHost}:${testAppPort}/`,
    caPem: pki.root.certPem,
    caPath: stored.caPath,
    rpPfx: stored.rpPfx,
    rpPfxPath: stored.rpPfxPath,
    rpPassphrase: pki.rp.passphrase,
    close: async () => {
      await Promise.all([shut(rpServer), shut(testAppServer)]);
    },
  };
}

function listen(server: HttpServer | HttpsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function shut(server: HttpServer | HttpsServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
