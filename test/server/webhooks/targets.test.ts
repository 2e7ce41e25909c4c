import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { postTo } from '../../../server/webhooks/send.js';
import { resolveTarget } from '../../../server/webhooks/targets.js';
import { deliverDue } from '../../../server/webhooks/worker.js';
import { describeEachBackend } from '../backends.js';
import { startBankId, startServer, type TestServer } from '../harness.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { startReceiver, type Receiver } from './receiver.js';

/** SSRF: private, loopback and link-local targets are refused at registration and at delivery; addresses are pinned. */
const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];

describeEachBackend('webhook targets', (backend) => {
  let bankId: SimulatorFixture;
  let server: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    bankId = await startBankId();
  }, 30_000);
  afterAll(async () => bankId.close());
  beforeEach(async () => {
    server = await startServer(bankId, { webhooksAllowLoopback: false }, backend);
    receiver = await startReceiver();
  }, 30_000);
  afterEach(async () => {
    await receiver.close();
    await server.close();
  });

  it('refuses private, loopback and link-local endpoints, and a name that resolves to loopback, without the development setting', async () => {
    for (const url of [
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://192.168.1.20/hook',
      'https://[fd00::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      receiver.url,
    ]) {
      expect([url, ...(await codeOf(await server.api('POST', '/api/v1/webhooks', { url })))]).toEqual([url, 400, 'webhook_address_refused']);
    }
    expect(await codeOf(await server.api('POST', '/api/v1/webhooks', { url: 'http://93.184.216.34/hook' }))).toEqual([400, 'webhook_url_not_https']);
    expect(await codeOf(await server.api('POST', '/api/v1/webhooks', { url: 'ftp://example.se/' }))).toEqual([400, 'webhook_url_not_https']);
    expect(await codeOf(await server.api('POST', '/api/v1/webhooks', { url: 'not a url' }))).toEqual([400, 'webhook_url_invalid']);
    expect(await server.rows('SELECT id FROM webhook_endpoints')).toEqual([]);
  });

  it('checks the address again at delivery: an endpoint registered while loopback was allowed is not reached once it is not', async () => {
    server.deps.config.webhooksAllowLoopback = true;
    const created = (await (await server.api('POST', '/api/v1/webhooks', { url: receiver.url })).json()) as { id: string };
    await server.api('POST', `/api/v1/webhooks/${created.id}/test`);
    server.deps.config.webhooksAllowLoopback = false;
    await deliverDue(server.deps, 'test-worker');
    expect(receiver.deliveries).toEqual([]);
    const [endpoint] = ((await (await server.api('GET', '/api/v1/webhooks')).json()) as { endpoints: { lastFailure: string }[] }).endpoints;
    expect(endpoint!.lastFailure).toBe('webhook_address_refused');
  });
});

it('refuses a name when any address it resolves to is private (a rebinding answer mixing public and private)', async () => {
  const lookup = (async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.1', family: 4 },
  ]) as unknown as typeof import('node:dns/promises').lookup;
  await expect(resolveTarget('https://rebind.example/hook', false, lookup)).rejects.toMatchObject({ code: 'webhook_address_refused' });
  const publicOnly = (async () => [{ address: '93.184.216.34', family: 4 }]) as unknown as typeof lookup;
  expect(await resolveTarget('https://hooks.example/hook', false, publicOnly)).toMatchObject({ address: '93.184.216.34', family: 4 });
});

it('connects to the pinned address and never resolves the name again, keeping the URL’s host in the Host header', async () => {
  const receiver = await startReceiver();
  try {
    // `.invalid` never resolves (RFC 6761): the request can only arrive through the pinned address.
    const target = { url: new URL(`http://hooks.invalid:${receiver.port}/pinned`), address: '127.0.0.1', family: 4 as const };
    expect(await postTo(target, { 'content-type': 'application/json' }, '{}')).toEqual({ status: 200, retryAfterMs: null });
    expect(receiver.deliveries[0]!.headers.host).toBe(`hooks.invalid:${receiver.port}`);
  } finally {
    await receiver.close();
  }
});
