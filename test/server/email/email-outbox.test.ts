import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { emailBody } from '../../../client/texts.js';
import { createApp } from '../../../server/app.js';
import { createEmailOutbox } from '../../../server/delivery/email-outbox.js';
import { relayEmail } from '../../../server/delivery/email-relay.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { Recipient, startBankId, startServer, type TestServer } from '../harness.js';

/** The development outbox (embedded defaults) lists emails with their link, escaped. */
let bankId: SimulatorFixture;
let server: TestServer;
beforeAll(async () => {
  bankId = await startBankId();
});
afterAll(async () => bankId.close());
beforeEach(async () => {
  server = await startServer(bankId);
});
afterEach(async () => server.close());

it('shows an email in the development outbox, its errand and sender name escaped', async () => {
  const outbox = createEmailOutbox(server.deps.clock);
  const app = createApp({ ...server.deps, mail: outbox });
  const errand = '<script>alert(1)</script> Avtal';
  const sealed = await server.send({ errand, recipients: [{ readers: '*' }] });
  const link = sealed.links[0]!;
  const { store, clock, logger } = server.deps;
  const result = await relayEmail(
    { store, mail: outbox, email: { bounceDomain: 'sigill.test' }, clock, logger },
    { linkId: new Recipient(server.app, link).linkId, to: 'anna@example.se', text: emailBody(errand, link, 'sv'), link, language: 'sv', senderName: '<b>Bolaget</b>' },
  );
  expect(result.status).toBe('sent');
  const page = await (await app.request('/dev/outbox')).text();
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Avtal');
  expect(page).toContain('&lt;b&gt;Bolaget&lt;/b&gt;');
  expect(page).not.toContain('<script>');
  expect(page).toContain(link);
  const json = (await (await app.request('/dev/outbox.json')).json()) as { email: { to: string; subject: string }[] };
  expect(json.email).toMatchObject([{ to: 'anna@example.se', subject: errand }]);
});
