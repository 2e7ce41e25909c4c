import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purge } from '../../../server/messages/expiry.js';
import { deliverDue, retryScheduleMs } from '../../../server/webhooks/worker.js';
import { start46elksFake } from '../../support/fakes/46elks.js';
import { describeEachBackend } from '../backends.js';
import { startSmsServer } from '../delivery/sms-server.js';
import { Recipient, useServerPerTest, verifyAs } from '../harness.js';
import { startReceiver, verifyDelivery, type Receiver } from './receiver.js';

/** Webhooks in one server app: registration, every event of a flow, signatures checked by `standardwebhooks`, retries, rotation. */
const anna = '199908072391';
const per = '196802020575';
const errand = 'Ditt hyresavtal för Storgatan 12';

describeEachBackend('webhooks', (backend) => {
  const context = useServerPerTest(backend);
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => receiver.close());

  const register = async (body: unknown = { url: receiver.url }) => {
    const response = await context.server.api('POST', '/api/v1/webhooks', body);
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; secret: string; enabled: boolean };
  };
  /** Runs the worker until nothing is due (the test's clock decides what is). */
  const deliverAll = async () => {
    while ((await deliverDue(context.server.deps, 'test-worker')) > 0);
  };
  const now = () => context.server.deps.clock.now();
  const list = async () => ((await (await context.server.api('GET', '/api/v1/webhooks')).json()) as { endpoints: Record<string, unknown>[] }).endpoints;

  it('registers an endpoint with its own whsec_ secret of 24 random bytes, shown once and not in the list', async () => {
    const endpoint = await register({ url: receiver.url, events: ['link.read'] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(24);
    expect((await register()).secret).not.toBe(endpoint.secret);
    const endpoints = await list();
    expect(endpoints.find((listed) => listed.id === endpoint.id)).toMatchObject({ id: endpoint.id, url: receiver.url, events: ['link.read'], enabled: true, failureCount: 0, lastFailure: null });
    expect(JSON.stringify(endpoints)).not.toContain(endpoint.secret.slice(6, 20));
    const rows = await context.server.rows<{ sealed_secrets: string }>('SELECT sealed_secrets FROM webhook_endpoints');
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.sealed_secrets).not.toContain(endpoint.secret.slice(6, 20));
    expect((await context.server.api('GET', '/api/v1/webhooks', undefined, 'sgl_not-a-token')).status).toBe(401);
  });

  it('delivers every event of a full flow once (ready, sent, delivered, opened, started, read, denied, revoked), signed so that standardwebhooks verifies it, with ids and never an errand, identity or name', async () => {
    // The SMS goes through the 46elks client to its fake, whose delivery report comes back over HTTP.
    const fake = await start46elksFake('elks-user', 'elks-password');
    const sms = await startSmsServer(context.bankId, '46elks', { apiUrl: fake.url, elksUsername: 'elks-user', elksPassword: 'elks-password' }, backend);
    try {
      const { server } = sms;
      const registered = await server.api('POST', '/api/v1/webhooks', { url: receiver.url });
      const { secret } = (await registered.json()) as { secret: string };
      const sealed = await server.send({ errand, recipients: [{ readers: '*' }, { readers: [`se-pnr:${anna}`] }] });
      const messageId = sealed.request.messageId;
      const [first, second] = sealed.request.recipients.map((recipient) => recipient.linkId) as [string, string];
      const relayed = await sms.sender.sendSms(messageId, { linkId: first, to: '070-123 45 67', text: `Meddelande: ${sealed.links[0]}` });
      expect(relayed.status).toBe('sent');
      expect(await fake.report(fake.sent.at(-1)!.id, 'delivered')).toBe(204);
      expect(await fake.report(fake.sent.at(-1)!.id, 'delivered')).toBe(204); // a replayed report sends nothing
      expect((await verifyAs(server, context.bankId, new Recipient(server.app, sealed.links[0]!), anna)).state.status).toBe('approved');
      expect((await verifyAs(server, context.bankId, new Recipient(server.app, sealed.links[1]!), per)).state.status).toBe('denied');
      expect((await server.api('DELETE', `/api/v1/messages/${messageId}`)).status).toBe(200);
      while ((await deliverDue(server.deps, 'test-worker')) > 0);

      const events = receiver.deliveries.map((delivery) => verifyDelivery(delivery, secret, now()));
      expect(events.map((event) => `${event.type} ${event.data.linkId ?? '-'}`).sort()).toEqual(
        [
          'message.ready -',
          `delivery.sent ${first}`,
          `delivery.delivered ${first}`,
          `link.opened ${first}`,
          `verification.started ${first}`,
          `link.read ${first}`,
          `link.opened ${second}`,
          `verification.started ${second}`,
          `link.denied ${second}`,
          'message.revoked -',
        ].sort(),
      );
      for (const event of events) expect(event.data.messageId).toBe(messageId);
      const ids = receiver.deliveries.map((delivery) => delivery.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length);
      const everything = receiver.deliveries.map((delivery) => delivery.body).join('\n');
      for (const secretWord of [errand, anna, per, 'Test Testsson', 'Bostadsbolaget', '0701234567', '+46701234567', sealed.links[0]!.split('#')[1]!]) {
        expect(everything).not.toContain(secretWord);
      }
      // A signature made with another secret does not verify.
      expect(() => verifyDelivery(receiver.deliveries[0]!, 'whsec_' + Buffer.alloc(24, 7).toString('base64'), now())).toThrow(/No matching signature/);
    } finally {
      await sms.close();
      await fake.close();
    }
  });

  it('sends message.expired when the purge expires a message', async () => {
    const { secret } = await register({ url: receiver.url, events: ['message.expired'] });
    const sealed = await context.server.send({ recipients: [{ readers: '*' }], expiresAt: new Date(now() + 11 * 60_000).toISOString() });
    context.bankId.clock.advance(11 * 60_000 + 1);
    await purge(context.server.deps);
    await deliverAll();
    expect(receiver.deliveries.map((delivery) => verifyDelivery(delivery, secret, now()))).toMatchObject([{ type: 'message.expired', data: { messageId: sealed.request.messageId } }]);
  });

  it('sends only the events an endpoint asked for', async () => {
    const { secret } = await register({ url: receiver.url, events: ['message.revoked'] });
    const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
    await context.server.api('DELETE', `/api/v1/messages/${sealed.request.messageId}`);
    await deliverAll();
    expect(receiver.deliveries.map((delivery) => verifyDelivery(delivery, secret, now()).type)).toEqual(['message.revoked']);
  });

  it('retries a delivery the receiver answered 500 after 5 seconds, with the same webhook-id, and then succeeds', async () => {
    const { id, secret } = await register();
    receiver.answer(500);
    const ping = (await (await context.server.api('POST', `/api/v1/webhooks/${id}/test`)).json()) as { webhookId: string };
    await deliverAll();
    expect(receiver.deliveries.map((delivery) => delivery.status)).toEqual([500]);
    expect((await list())[0]).toMatchObject({ enabled: true, failureCount: 1, lastFailure: 'http_500' });
    context.bankId.clock.advance(4_999);
    await deliverAll();
    expect(receiver.deliveries).toHaveLength(1);
    context.bankId.clock.advance(1);
    await deliverAll();
    expect(receiver.deliveries.map((delivery) => delivery.status)).toEqual([500, 200]);
    expect(receiver.deliveries.map((delivery) => delivery.headers['webhook-id'])).toEqual([ping.webhookId, ping.webhookId]);
    expect(verifyDelivery(receiver.deliveries[1]!, secret, now())).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    expect((await list())[0]).toMatchObject({ enabled: true, failureCount: 0 });
  });

  it('follows the schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) and disables the endpoint when the last attempt fails', async () => {
    const { id } = await register();
    receiver.answer(...Array(8).fill(503));
    await context.server.api('POST', `/api/v1/webhooks/${id}/test`);
    for (const delay of retryScheduleMs) {
      const before = receiver.deliveries.length;
      if (delay > 0) {
        context.bankId.clock.advance(delay - 1);
        await deliverAll();
        expect(receiver.deliveries.length).toBe(before);
      }
      context.bankId.clock.advance(delay > 0 ? 1 : 0);
      await deliverAll();
      expect(receiver.deliveries.length).toBe(before + 1);
    }
    expect(receiver.deliveries).toHaveLength(8);
    expect((await list())[0]).toMatchObject({ enabled: false, failureCount: 8, lastFailure: 'http_503', lastFailureAt: expect.any(String) });
    // Disabled: nothing more is queued or sent until the sender enables it again.
    expect((await context.server.api('POST', `/api/v1/webhooks/${id}/test`)).status).toBe(409);
    expect(((await (await context.server.api('POST', `/api/v1/webhooks/${id}/enable`)).json()) as { enabled: boolean }).enabled).toBe(true);
    expect((await context.server.api('POST', `/api/v1/webhooks/${id}/test`)).status).toBe(202);
    await deliverAll();
    expect(receiver.deliveries.at(-1)!.status).toBe(200);
  });

  it('disables an endpoint that answers 410 at once', async () => {
    const { id } = await register();
    receiver.answer(410);
    await context.server.api('POST', `/api/v1/webhooks/${id}/test`);
    await deliverAll();
    expect((await list())[0]).toMatchObject({ enabled: false, lastFailure: 'http_410' });
  });

  it('signs with the old and the new secret for 24 hours after a rotation, then with the new one only', async () => {
    const { id, secret: old } = await register();
    const rotated = await context.server.api('POST', `/api/v1/webhooks/${id}/rotate`);
    expect(rotated.status).toBe(200);
    const { secret: fresh } = (await rotated.json()) as { secret: string };
    expect(fresh).not.toBe(old);
    await context.server.api('POST', `/api/v1/webhooks/${id}/test`);
    await deliverAll();
    const during = receiver.deliveries.at(-1)!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyDelivery(during, old, now()).type).toBe('webhook.test');
    expect(verifyDelivery(during, fresh, now()).type).toBe('webhook.test');
    context.bankId.clock.advance(24 * 3600_000 + 1);
    await context.server.api('POST', `/api/v1/webhooks/${id}/test`);
    await deliverAll();
    const after = receiver.deliveries.at(-1)!;
    expect(verifyDelivery(after, fresh, now()).type).toBe('webhook.test');
    expect(() => verifyDelivery(after, old, now())).toThrow(/No matching signature/);
  });

  describe('endpoints of other senders', () => {
    it('answers 404 for an endpoint id that is not this sender’s, and delete removes it', async () => {
      const { id } = await register();
      expect((await context.server.api('POST', `/api/v1/webhooks/ep_${'A'.repeat(22)}/rotate`)).status).toBe(404);
      expect((await context.server.api('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
      expect(await list()).toEqual([]);
      expect((await context.server.api('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(404);
    });
  });
});
