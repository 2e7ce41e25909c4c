/**
 * One Chromium test file's setting: the test build of the extension in Debian's Chromium,
 * a real server, the webmail fixtures at their real URLs, and the sender signed in.
 *
 * @example
 * const suite = chromiumSuite('toolbar');
 * beforeAll(suite.start, 120_000); afterAll(suite.stop);
 * const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildExtension, type BuildOptions } from '../../extension/build.js';
import { launchWithExtension, type ExtensionBrowser } from './chromium.js';
import { routeWebmail } from './fixtures/routes.js';
import { signIn } from './flow.js';
import { startServer, type RunningServer } from './server.js';
import type { EmailSettings } from '../../server/delivery/email-config.js';

export interface ChromiumSuite {
  readonly server: RunningServer;
  readonly browser: ExtensionBrowser;
  start(): Promise<void>;
  stop(): Promise<void>;
  openWebmail(url: string): Promise<Page>;
}

/**
 * `name` keeps each file's build in its own folder; `build` changes the build's settings;
 * `signInAt` is the server address the sender types (the server's own by default);
 * `locale` the browser's language (English by default); `email` the SMTP settings the
 * server sends email with (read at start, so a test may start its SMTP peer first).
 */
export function chromiumSuite(
  name: string,
  build: BuildOptions = { test: true },
  signInAt?: (server: RunningServer) => string,
  locale?: string,
  email?: () => EmailSettings,
): ChromiumSuite {
  let server: RunningServer | undefined;
  let browser: ExtensionBrowser | undefined;
  return {
    get server() {
      if (!server) throw new Error('the suite has not started');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the suite has not started');
      return browser;
    },
    async start() {
      const [extensionDir, started] = await Promise.all([buildExtension({ ...build, outDir: join('dist', 'extension-test', name) }), startServer(email ? { email: email() } : {})]);
      server = started;
      browser = await launchWithExtension(extensionDir, locale);
      await routeWebmail(browser.context);
      await signIn(browser.context, browser.extensionId, server, signInAt?.(server));
    },
    async stop() {
      await browser?.close();
      await server?.close();
    },
    async openWebmail(url) {
      const page = await this.browser.context.newPage();
      await page.goto(url);
      return page;
    },
  };
}
