/**
 * `npm start` configured for a real BankID (issue 15 item 1): no development server, no
 * outbox, and the BankID simulator refused where production runs. Real server processes;
 * "production" here is BankID's production mode pointed at a simulator in the test
 * process (SIGILL_BANKID_URL), so no request leaves the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBankIdSimulator, type BankIdSimulator } from '../../server/bankid/index.js';
import { simulatorEnv, startServerProcess } from './server-process.js';

let simulator: BankIdSimulator;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-production-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
}, 60_000);
afterAll(async () => {
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

describe('npm start with a real BankID', () => {
  it('says nothing of a development server and answers 404 for the outbox', async () => {
    const server = await startServerProcess({ ...simulatorEnv(simulator), SIGILL_BANKID: 'production', SIGILL_DATA_DIR: join(root, 'production') });
    try {
      const text = server.output.join('');
      expect(text).toMatch(/Sigill is running at http:\/\/localhost:\d+/);
      expect(text).not.toMatch(/DEVELOPMENT|outbox|test app/i);
      for (const path of ['/dev/outbox', '/dev/outbox.json']) expect((await fetch(`${server.url}${path}`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start the simulator with NODE_ENV=production, saying how to force it', () => {
    const started = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, PORT: '0', NODE_ENV: 'production', SIGILL_DATA_DIR: join(root, 'refused') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(started.status).toBe(2);
    expect(started.stderr).toContain('SIGILL_FORCE_SIMULATOR');
    expect(started.stdout).not.toContain('Sigill is running');
  });
});
