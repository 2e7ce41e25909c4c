import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { senderApi } from '../../../client/sender-api.js';
import { startBankIdSimulator, type BankIdSimulator } from '../../../server/bankid/index.js';
import { start46elksFake, type ElksFake } from '../../support/fakes/46elks.js';
import { seal, send } from '../process-messages.js';
import { simulatorEnv, startServerProcess } from '../server-process.js';

/**
 * A link never touches the disk, so an SMS whose server is killed while the provider has
 * not yet answered cannot be retried by the next process: it becomes failed with reason
 * `interrupted` (the sender's client offers to resend), and nothing is sent again.
 */
let simulator: BankIdSimulator;
let fake: ElksFake;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-sms-interrupted-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
  fake = await start46elksFake('elks-user', 'elks-password');
});
afterAll(async () => {
  await fake.close();
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

it('an SMS cut by a killed server becomes failed, interrupted, after the restart, and is not sent again', async () => {
  const env = {
    ...simulatorEnv(simulator),
    SIGILL_DATA_DIR: join(root, 'data'),
    SIGILL_WORKERS: '1',
    SIGILL_SMS_PROVIDER: '46elks',
    SIGILL_SMS_API_URL: fake.url,
    SIGILL_46ELKS_USERNAME: 'elks-user',
    SIGILL_46ELKS_PASSWORD: 'elks-password',
    SIGILL_SMS_TIMEOUT_MS: '1000',
  };
  const first = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'true' });
  const token = first.token!;
  const sealed = await seal(1000);
  await send(first, token, sealed);
  fake.fail('timeout', 1);
  const relaying = senderApi({ baseUrl: first.url, token })
    .sendSms(sealed.request.messageId, { linkId: sealed.request.recipients[0]!.linkId, to: '0701234567', text: `Läs: ${sealed.links[0]}` })
    .catch((error: unknown) => error);
  for (let i = 0; fake.requests.length === 0 && i < 200; i++) await sleep(25);
  expect(fake.requests).toHaveLength(1);
  await first.kill();
  expect(await relaying).toBeInstanceOf(Error);

  const second = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'false' });
  try {
    const api = senderApi({ baseUrl: second.url, token });
    const states: string[] = [];
    for (let i = 0; i < 80; i++) {
      const delivery = (await api.message(sealed.request.messageId)).links[0]!.deliveries[0]!;
      if (states.at(-1) !== delivery.status) states.push(delivery.status);
      if (delivery.status !== 'pending') {
        expect(delivery).toMatchObject({ status: 'failed', reason: 'interrupted', recipient: '+46…67' });
        break;
      }
      await sleep(250);
    }
    expect(states.at(-1)).toBe('failed'); // pending until the dead process's lease ends (unless the restart took longer)
    expect(fake.requests).toHaveLength(1);
  } finally {
    await second.stop();
  }
}, 60_000);
