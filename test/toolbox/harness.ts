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
import { anna, approve, scanQrCode } from './bankid.js';

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

/** The toolbox's address: on the public origin (localhost), which the server's Origin check expects. */
export function toolboxUrl(world: ToolboxWorld, route = ''): string {
  return `${world.server.origin.replace('127.0.0.1', 'localhost')}/toolbox/${route}`;
}

/** A sender's browser on the toolbox, signed out. */
export async function openToolbox(world: ToolboxWorld, options: { locale?: string; viewport?: { width: number; height: number }; route?: string } = {}): Promise<SenderBrowser> {
  const context = await world.browser.newContext({ viewport: options.viewport ?? desktop, deviceScaleFactor: 1, locale: options.locale ?? 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => {
    // A signed-out page asks /api/v1/me first, and Chromium logs its 401.
    if (message.type() === 'error' && !message.text().includes('status of 401')) errors.push(message.text());
  });
  await page.goto(toolboxUrl(world, options.route));
  return { context, page, errors };
}

/**
 * Signs in as the demo admin (Test Testsson), or as another user's `personalNumber`, with
 * BankID on another device: the QR code read off a screenshot and handed to the
 * simulator's test app. Then "Not now" to the passkey, unless `passkey` saves one (the
 * browser needs a virtual authenticator).
 */
export async function signInWithBankId(world: ToolboxWorld, sender: SenderBrowser, { passkey = false, personalNumber = anna } = {}): Promise<void> {
  const { page } = sender;
  await page.getByRole('button', { name: /^(Sign in with BankID|Logga in med BankID)$/ }).click();
  await page.locator('svg.qr path[d]').waitFor();
  const orderRef = await scanQrCode(world.server, page, 'svg.qr', personalNumber);
  await approve(world.server, orderRef, personalNumber);
  await page.locator('[data-action="not-now"]').waitFor({ timeout: 30_000 });
  await page.locator(passkey ? '[data-action="register-passkey"]' : '[data-action="not-now"]').click();
  await page.locator('#recipients').waitFor({ timeout: 30_000 });
}

/** A signed-in sender's browser (BankID, no passkey). */
export async function signedInToolbox(world: ToolboxWorld, options: Parameters<typeof openToolbox>[1] = {}): Promise<SenderBrowser> {
  const sender = await openToolbox(world, options);
  await signInWithBankId(world, sender);
  return sender;
}

/** A CDP virtual authenticator with resident keys, user verification and PRF, in `sender`'s page. */
export async function virtualAuthenticator(sender: SenderBrowser): Promise<{ credentials(): Promise<unknown[]>; add(credential: unknown): Promise<void> }> {
  const cdp = await sender.context.newCDPSession(sender.page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true, hasPrf: true },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    add: async (credential) => void (await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: credential as never })),
  };
}
