/**
 * The toolbox's tests' world: a real server process (`tsx server/main.ts`, the BankID
 * simulator in-process) whose SMS go to the fake 46elks and whose email goes to a real
 * STARTTLS SMTP server in the test process; Debian's Chromium through playwright-core;
 * and a sender's browser context on /toolbox/ at a given size and language.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { start46elksFake, type ElksFake } from '../support/fakes/46elks.js';
import { launchChromium } from '../recipient/browser.js';
import { startServerProcess, type ServerProcess } from '../recipient/server-process.js';
import { makeTestCa, startSmtpPeer, type SmtpPeer } from '../server/email/smtp-peer.js';

export interface ToolboxWorld {
  server: ServerProcess;
  browser: Browser;
  sms: ElksFake;
  smtp: SmtpPeer;
  close(): Promise<void>;
}

export async function startToolboxWorld(env: Record<string, string> = {}): Promise<ToolboxWorld> {
  const ca = makeTestCa();
  const [sms, smtp, browser] = await Promise.all([start46elksFake('elks-user', 'elks-password'), startSmtpPeer(ca), launchChromium()]);
  const server = await startServerProcess({
    SIGILL_WORKERS: '1',
    SIGILL_SMS_PROVIDER: '46elks',
    SIGILL_SMS_API_URL: sms.url,
    SIGILL_46ELKS_USERNAME: 'elks-user',
    SIGILL_46ELKS_PASSWORD: 'elks-password',
    SIGILL_SMTP_URL: `smtp://localhost:${smtp.port}`,
    SIGILL_SMTP_CA: ca.caFile,
    SIGILL_MAIL_FROM: 'no-reply@sigill.test',
    ...env,
  });
  return {
    server,
    browser,
    sms,
    smtp,
    async close() {
      await browser.close();
      await server.close();
      await Promise.all([sms.close(), smtp.close()]);
    },
  };
}

export interface SenderBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors (a CSP refusal shows here too). */
  errors: string[];
}

export const phone = { width: 360, height: 740 };
export const desktop = { width: 1280, height: 800 };

/**
 * A sender's browser on the toolbox. `token` signs it in for tests that are not about
 * signing in: the demo sender's API token sent with every request of this context, as a
 * test-only stand-in for the session cookie, and /api/v1/me and its receipt key answered
 * by the test as for a user of that sender (until the accounts server is merged).
 */
export async function openToolbox(world: ToolboxWorld, options: { locale?: string; viewport?: { width: number; height: number }; token?: string; path?: string } = {}): Promise<SenderBrowser> {
  const context = await world.browser.newContext({
    viewport: options.viewport ?? desktop,
    deviceScaleFactor: 1,
    locale: options.locale ?? 'en-GB',
    ...(options.token ? { extraHTTPHeaders: { authorization: `Bearer ${options.token}` } } : {}),
  });
  if (options.token) {
    const sender = await world.server.sender.me();
    const me = { user: { id: '5b0c3f5e-9a3e-4c7e-8f57-3f0a2b1c9d4e', name: 'Test Testsson', role: 'admin' }, sender: { id: sender.id, name: sender.name }, passkeys: [], receiptKey: null };
    await context.route(`${world.server.origin}/api/v1/me`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(me) }));
    await context.route(`${world.server.origin}/api/v1/me/receipt-key`, (route) => route.fulfill({ status: 204 }));
  }
  else {
    // Until the accounts server is in, a signed-out browser's /api/v1/me is 404: answer it as the server will, 401.
    await context.route(`${world.server.origin}/api/v1/me`, async (route) => {
      const response = await route.fetch();
      if (response.status() !== 404) return route.fulfill({ response });
      return route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'session_missing', message: 'sign in' } }) });
    });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${world.server.origin}${options.path ?? '/toolbox/'}`);
  return { context, page, errors };
}
