/**
 * Issue 13, acceptance 5: an SMS whose server was killed while the provider held it
 * becomes `interrupted` after the restart; `sigill status` shows it with the command that
 * resends it, and `sigill resend` relays it again with the same link, which the device
 * never stored: it comes from the recipient label sealed to the sender's receipt keys.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBankIdSimulator, type BankIdSimulator } from '../../server/bankid/index.js';
import { start46elksFake, type ElksFake } from '../support/fakes/46elks.js';
import { simulatorEnv, startServerProcess, type ServerProcess } from '../server/server-process.js';
import { newDevice, sigill } from './cli-process.js';

let simulator: BankIdSimulator;
let fake: ElksFake;
let root: string;
let second: ServerProcess | undefined;
const device = newDevice();
const linkPattern = /http:\/\/[\w.:]+\/o\/[\w-]{22}#[\w-]{43}/;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-cli-resend-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
  fake = await start46elksFake('elks-user', 'elks-password');
}, 120_000); // the simulator makes its PKIs: slow on a busy machine
afterAll(async () => {
  await second?.stop();
  await fake?.close();
  await simulator?.close();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

it('an interrupted SMS shows in sigill status with its resend command, and sigill resend delivers the same link', async () => {
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
  expect((await sigill(['login', '--server', first.url], { configDir: device, stdin: first.token! })).code).toBe(0);
  fake.fail('timeout', 1);
  const sending = sigill(['send', '--to', '070-123 45 67&login=200211242383', '--errand', 'Provsvar', '--text', '-', '--lang', 'en'], { configDir: device, stdin: 'Dina provsvar.\n' });
  for (let i = 0; fake.requests.length === 0 && i < 400; i++) await sleep(25);
  expect(fake.requests).toHaveLength(1);
  const firstLink = linkPattern.exec(Object.fromEntries(fake.requests[0]!.fields).message ?? '')![0];
  await first.kill();
  const sent = await sending;
  expect(sent.code).toBe(1);
  const messageId = /^Message ([\w-]{22}) sent/.exec(sent.stdout)![1]!;
  expect(sent.stdout).toContain('SMS failed (server_unreachable)');

  second = await startServerProcess({ ...env, SIGILL_DEMO_SENDER: 'false' });
  const onSecond = { configDir: device, env: { SIGILL_SERVER: second.url } };
  let status = '';
  for (let i = 0; i < 120 && !status.includes('interrupted'); i++) {
    status = (await sigill(['status', messageId], onSecond)).stdout;
    if (!status.includes('interrupted')) await sleep(500);
  }
  const deliveries = status.split('\n').slice(status.split('\n').indexOf('  Deliveries:') + 1).map((line) => line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'TIME'));
  expect(deliveries).toEqual([`    SMS +46…67  interrupted (the server restarted while handing it over)  TIME  not delivered: resend it with sigill resend ${messageId} +46701234567`, '']);
  expect(fake.requests).toHaveLength(1);

  const resent = await sigill(['resend', messageId, '0701234567'], onSecond);
  expect(resent.stderr).toBe('');
  expect(resent.code).toBe(0);
  expect(resent.stdout).toBe('Resent to +46701234567: SMS sent.\n');
  expect(fake.sent).toHaveLength(1);
  expect(fake.sent[0]!.to).toBe('+46701234567');
  expect(linkPattern.exec(fake.sent[0]!.message)![0]).toBe(firstLink); // the recipient gets the same link
  expect(fake.sent[0]!.message).toContain('Provsvar');

  const after = (await sigill(['status', messageId], onSecond)).stdout;
  expect(after).toMatch(/SMS \+46…67 +interrupted \(the server restarted while handing it over\) +\S+ \S+ UTC\n {4}SMS \+46…67 +sent +\S+ \S+ UTC\n/);
  expect(after).not.toContain('sigill resend');
  const again = await sigill(['resend', messageId, '+46701234567'], onSecond);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('(delivery_not_failed)');
  expect(fake.sent).toHaveLength(1);

  // The link never touched this device's disk.
  const secret = firstLink.split('#')[1]!;
  for (const name of readdirSync(device)) expect(readFileSync(join(device, name), 'utf8')).not.toContain(secret);
}, 180_000);
