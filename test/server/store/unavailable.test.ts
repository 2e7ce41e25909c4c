import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { backends } from '../backends.js';
import { startBankId, startServer, type TestServer } from '../harness.js';

/** A database that goes away answers 503 store_unavailable, never a 500 or a hang, and the answer names no host. */
describe('[postgres+s3] a database that cannot be reached', () => {
  let bankId: SimulatorFixture;
  let server: TestServer;
  beforeAll(async () => {
    bankId = await startBankId();
    server = await startServer(bankId, {}, backends.find((backend) => backend.name === 'postgres+s3'));
  });
  afterAll(async () => {
    await server?.close();
    await bankId?.close();
  });

  it('answers 503 store_unavailable to recipients and senders, and logs no connection details', async () => {
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    const linkId = sealed.request.recipients[0]!.linkId;
    expect((await server.app.request(`/api/v1/links/${linkId}`)).status).toBe(200);
    await server.backend.dropDatabase!();
    for (const response of [await server.app.request(`/api/v1/links/${linkId}`), await server.api('GET', '/api/v1/messages')]) {
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('store_unavailable');
      expect(body.error.message).not.toMatch(/sigill-pg|postgres|socket/i);
    }
    const logged = server.logs.filter((line) => line.includes('store_unavailable'));
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).not.toContain(server.backend.env.SIGILL_DATABASE_URL!.split('?')[0]!);
  });
});
