/**
 * A fresh server app per test on one storage back end (./backends.ts: a libsql file and
 * the blob folder, or PostgreSQL and an S3 API server), the BankID
 * simulator over real mTLS (one per test file, sharing the manual clock), the SMS
 * outbox, and logs captured in memory. Plus the recipient's side of the protocol, as
 * the recipient page does it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { encodeBase64url } from '../../shared/base64url.js';
import { deriveKeys } from '../../shared/keys.js';
import { parseLink } from '../../shared/link.js';
import { generateReceiptKeyPair, type ReceiptKeyPair } from '../../shared/receipts.js';
import { sealMessage, type AttachmentSource, type SealedMessage } from '../../shared/seal-message.js';
import type { VerificationState } from '../../shared/api.js';
import { createAndUpload } from '../../client/send.js';
import { openLinkText, startReading } from '../../client/read.js';
import { recipientApi, type RecipientApi } from '../../client/recipient-api.js';
import { senderApi, type SenderApi } from '../../client/sender-api.js';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { AppDeps } from '../../server/deps.js';
import { createOutboxTransport, type OutboxTransport } from '../../server/delivery/sms.js';
import { createSender } from '../../server/senders/senders.js';
import { identityFor } from '../../server/bankid/index.js';
import { backends, type OpenedBackend, type SqlParam, type TestBackend } from './backends.js';
import { startSimulatorFixture, type SimulatorFixture } from './bankid/simulator-fixture.js';
import { CookieJar } from './cookie-jar.js';

export const origin = 'http://localhost:8787';

export interface TestServer {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  dataDir: string;
  /** The storage back end this server runs on. */
  backend: OpenedBackend;
  logs: string[];
  outbox: OutboxTransport;
  token: string;
  receiptKeys: ReceiptKeyPair;
  /** Sends as the test sender: JSON body, bearer token. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  /** client/'s SenderApi for the test sender, over app.request(). */
  sender: SenderApi;
  /** Rows from the server's database (tests that look at what is stored); `?` placeholders. */
  rows<Row>(sql: string, ...params: SqlParam[]): Promise<Row[]>;
  /** Seals, creates and uploads a message; returns it with its links. */
  send(options: SendOptions): Promise<SealedMessage>;
  close(): Promise<void>;
}

export interface SendOptions {
  recipients: { readers: '*' | string[] }[];
  errand?: string;
  text?: string;
  attachments?: AttachmentSource[];
  readLimit?: number;
  expiresAt?: string;
}

/**
 * Registers the hooks for the usual layout: one simulator per file, a fresh server per
 * test (with `overrides` of its configuration). Read `context.server` and `context.bankId` inside tests.
 */
export function useServerPerTest(backend: TestBackend = backends[0]!, overrides: Partial<Config> = {}): { readonly server: TestServer; readonly bankId: SimulatorFixture } {
  const context = {} as { server: TestServer; bankId: SimulatorFixture };
  beforeAll(async () => {
    context.bankId = await startBankId();
  });
  afterAll(async () => context.bankId.close());
  beforeEach(async () => {
    context.server = await startServer(context.bankId, overrides, backend);
  });
  afterEach(async () => context.server.close());
  return context;
}

export async function startBankId(): Promise<SimulatorFixture> {
  return startSimulatorFixture();
}

export async function startServer(bankId: SimulatorFixture, overrides: Partial<Config> = {}, backend: TestBackend = backends[0]!): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigill-server-'));
  const config: Config = { ...loadConfig({ SIGILL_DATA_DIR: dataDir }), ...overrides, dataDir };
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const opened = await backend.open(dataDir);
  const { store, blobs } = opened;
  const outbox = createOutboxTransport(bankId.clock);
  const deps: AppDeps = { config, store, blobs, bankId: bankId.client(), sms: outbox, clock: bankId.clock, logger };
  const app = createApp(deps);
  const { token } = await createSender(store.senders, 'Bostadsbolaget', bankId.clock.now());
  const receiptKeys = await generateReceiptKeyPair();

  const api = async (method: string, path: string, body?: unknown, bearer = token) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const sender = senderApi({ baseUrl: '', token, fetch: (path, init) => Promise.resolve(app.request(path, init)) });

  return {
    app,
    deps,
    dataDir,
    backend: opened,
    logs,
    outbox,
    token,
    receiptKeys,
    api,
    sender,
    rows: (sql, ...params) => opened.rows(sql, ...params),
    async send(options) {
      const sealed = await sealMessage({
        origin,
        errand: options.errand ?? 'Ditt kontrakt är klart',
        text: options.text ?? 'Hej! Här är avtalet.',
        attachments: options.attachments ?? [],
        recipients: options.recipients,
        receiptKey: receiptKeys.receiptKey,
        ...(options.readLimit !== undefined ? { readLimit: options.readLimit } : {}),
        ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
      });
      await createAndUpload(sender, sealed, { uploads: 'stream' });
      return sealed;
    },
    async close() {
      deps.bankId.close();
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser opening a link: it keeps its binding cookie across requests. */
export class Recipient {
  readonly linkId: string;
  readonly secret: Uint8Array;
  private readonly browser: CookieJar;
  /** client/'s RecipientApi in this browser. */
  readonly api: RecipientApi;
  constructor(
    app: { request: TestServer['app']['request'] },
    readonly link: string,
  ) {
    const parsed = parseLink(link);
    this.linkId = encodeBase64url(parsed.linkId);
    this.secret = parsed.secret;
    this.browser = new CookieJar((path, init) => app.request(path, init));
    this.api = recipientApi({ baseUrl: '', fetch: (path, init) => this.browser.fetch(path, init) });
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return this.browser.fetch(path, init);
  }

  /** K_auth for this link's message (needs the messageId from GET link). */
  authKeyFor(messageId: string): string {
    const keys = deriveKeys(this.secret, Uint8Array.from(Buffer.from(messageId, 'base64url')));
    return encodeBase64url(keys.auth);
  }

  async start(messageId: string, personalNumber?: string): Promise<Response> {
    return this.request(`/api/v1/links/${this.linkId}/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authKey: this.authKeyFor(messageId), ...(personalNumber ? { personalNumber } : {}) }),
    });
  }

  async poll(verificationId: string): Promise<VerificationState> {
    const response = await this.request(`/api/v1/verifications/${verificationId}`);
    if (response.status !== 200) throw new Error(`poll answered ${response.status} ${await response.text()}`);
    return (await response.json()) as VerificationState;
  }
}

/**
 * Opens a link as `personalNumber` on the same device (autostart), approves in the
 * simulator's test app, and polls until the verification ends.
 */
export async function verifyAs(server: TestServer, bankId: SimulatorFixture, recipient: Recipient, personalNumber: string) {
  const opened = await openLinkText(recipient.api, recipient.link);
  const { verificationId, autoStartToken } = await startReading(recipient.api, opened);
  const identity = identityFor(personalNumber);
  const { orderRef } = bankId.simulator.testApp.openByAutoStartToken(autoStartToken, { identity });
  bankId.simulator.testApp.approve(orderRef, identity);
  bankId.clock.advance(server.deps.config.collectIntervalMs);
  return { verificationId, state: await recipient.poll(verificationId), messageId: opened.info.messageId, opened };
}
