import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

/** Chromium from Debian's `chromium` package; never a downloaded browser. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Starting a server or the BankID simulator (keys, certificates) can take a while on a busy 2-core machine.
          hookTimeout: 120_000,
          // Server processes the tests start run one worker unless a test asks for more.
          env: { SIGILL_WORKERS: '1' },
          // One throwaway PostgreSQL cluster per run, started by the first test that needs it.
          globalSetup: ['test/support/temp-root.ts', 'test/support/recipient-build.ts', 'test/support/postgres-setup.ts'],
        },
      },
      {
        // The streams and the vectors again in Node, on the WebCrypto back end the
        // browsers use (Node itself picks node:crypto through package.json's #aes-gcm).
        resolve: { alias: { '#aes-gcm': fileURLToPath(new URL('./shared/aes-gcm/web.ts', import.meta.url)) } },
        test: {
          name: 'node-webcrypto',
          include: ['test/shared/stream.test.ts', 'test/vectors/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        // The same shared/ tests, run again inside a real Chromium: shared/ runs in the
        // extension's service worker and the recipient page, not only in Node.
        test: {
          name: 'browser',
          include: ['test/shared/**/*.test.ts', 'test/vectors/**/*.test.ts'],
          exclude: ['test/shared/aes-gcm-backends.test.ts'], // loads node:crypto
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: chromiumPath,
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-quic',
                  '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
