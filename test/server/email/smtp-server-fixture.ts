/**
 * The usual email test layout: one test CA and BankID simulator per file, and per test a
 * fresh harness server, a real STARTTLS SMTP peer, the SMTP transport to it and an app
 * that sends its email there. Read the fields inside tests.
 *
 * @example
 * const context = useSmtpServerPerTest();
 * it('…', async () => { await context.app.request(…); context.peer.received; });
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createApp } from '../../../server/app.js';
import type { EmailSettings } from '../../../server/delivery/email-config.js';
import { createSmtpTransport, type EmailTransport } from '../../../server/delivery/email.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { startBankId, startServer, type TestServer } from '../harness.js';
import { makeTestCa, settingsFor, startSmtpPeer, type SmtpPeer, type TestCa } from './smtp-peer.js';

export interface SmtpServerContext {
  ca: TestCa;
  bankId: SimulatorFixture;
  server: TestServer;
  peer: SmtpPeer;
  settings: EmailSettings;
  mail: EmailTransport;
  /** The server's app with `mail` and `settings`. */
  app: ReturnType<typeof createApp>;
}

export function useSmtpServerPerTest(): Readonly<SmtpServerContext> {
  const context = {} as SmtpServerContext;
  beforeAll(async () => {
    context.ca = makeTestCa();
    context.bankId = await startBankId();
  }, 60_000);
  afterAll(async () => context.bankId.close(), 60_000);
  beforeEach(async () => {
    context.server = await startServer(context.bankId);
    context.peer = await startSmtpPeer(context.ca);
    context.settings = settingsFor(context.peer, context.ca);
    context.mail = createSmtpTransport({ settings: context.settings, timeoutMs: 10_000 });
    context.app = createApp({ ...context.server.deps, config: { ...context.server.deps.config, email: context.settings }, mail: context.mail });
  }, 60_000);
  afterEach(async () => {
    context.mail.close();
    await context.peer.close();
    await context.server.close();
  }, 60_000);
  return context;
}
