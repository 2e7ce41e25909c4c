import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startBankIdSimulator, type BankIdSimulator } from '../../../server/bankid/index.js';
import { describeEachBackend, type OpenedBackend } from '../backends.js';
import { simulatorEnv, startServerProcess, type ServerProcess } from '../server-process.js';
import { startReceiver, verifyDelivery, type Receiver } from './receiver.js';

/**
 * The outbox across real server processes (`server/main.ts`) on one database: a job
 * survives SIGKILL and is delivered once after the restart; two processes running the
 * worker never deliver one job twice. Receivers verify with `standardwebhooks` against
 * the real clock.
 */
let simulator: BankIdSimulator;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-webhook-processes-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
});
afterAll(async () => {
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

const until = async (condition: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(server: ServerProcess, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, string> };
}

describeEachBackend('webhooks across server processes', (backend) => {
  let dataDir: string;
  let opened: OpenedBackend;
  let receiver: Receiver;
  const running: ServerProcess[] = [];
  beforeEach(async () => {
    dataDir = mkdtempSync(join(root, 'data-'));
    opened = await backend.open(dataDir);
    receiver = await startReceiver();
  }, 60_000);
  afterEach(async () => {
    for (const server of running.splice(0)) await server.kill();
    await receiver.close();
    await opened.close();
  });
  const start = async (demoSender: boolean) => {
    const server = await startServerProcess({
      ...simulatorEnv(simulator),
      ...opened.env,
      SIGILL_DATA_DIR: dataDir,
      SIGILL_WORKERS: '1',
      SIGILL_WEBHOOKS_POLL_MS: '100',
      SIGILL_DEMO_SENDER: String(demoSender),
    });
    running.push(server);
    return server;
  };

  it('delivers a job that was pending when the server was SIGKILLed after the restart, exactly once', async () => {
    const first = await start(true);
    const token = first.token!;
    const endpoint = await call(first, token, 'POST', '/api/v1/webhooks', { url: receiver.url });
    expect(endpoint.status).toBe(201);
    receiver.answer(500);
    const ping = await call(first, token, 'POST', `/api/v1/webhooks/${endpoint.json.id}/test`);
    await until(() => receiver.deliveries.length === 1);
    // Killed once the failed attempt is recorded: the job is pending, its retry due 5 s later.
    // (Killed mid-delivery instead, the job's lease would end and another process deliver it.)
    for (let attempts = 0; attempts !== 1; await pause(50)) {
      attempts = (await opened.rows<{ attempts: number }>('SELECT attempts FROM webhook_jobs WHERE id = ?', ping.json.webhookId!))[0]?.attempts ?? 0;
    }
    await first.kill();
    const restarted = await start(false);
    await until(() => receiver.deliveries.length === 2, 40_000);
    await pause(1_500);
    expect(receiver.deliveries.map((delivery) => [delivery.headers['webhook-id'], delivery.status])).toEqual([
      [ping.json.webhookId, 500],
      [ping.json.webhookId, 200],
    ]);
    expect(verifyDelivery(receiver.deliveries[1]!, endpoint.json.secret!).type).toBe('webhook.test');
    expect((await call(restarted, token, 'GET', '/api/v1/webhooks')).json.endpoints).toMatchObject([{ enabled: true, failureCount: 0, lastFailure: 'http_500' }]);
  }, 120_000);

  it('never delivers one job twice when two processes run the worker', async () => {
    const first = await start(true);
    const second = await start(false);
    const token = first.token!;
    const endpoint = await call(first, token, 'POST', '/api/v1/webhooks', { url: receiver.url });
    const pings = await Promise.all(
      Array.from({ length: 40 }, (_, n) => call(n % 2 === 0 ? first : second, token, 'POST', `/api/v1/webhooks/${endpoint.json.id}/test`)),
    );
    expect(pings.every((ping) => ping.status === 202)).toBe(true);
    await until(() => receiver.deliveries.length >= 40);
    await pause(1_500);
    const ids = receiver.deliveries.map((delivery) => String(delivery.headers['webhook-id']));
    expect(ids.sort()).toEqual(pings.map((ping) => ping.json.webhookId!).sort());
    for (const delivery of receiver.deliveries) expect(verifyDelivery(delivery, endpoint.json.secret!).type).toBe('webhook.test');
  }, 120_000);
});

