/**
 * Issue 15 item 5: a BankID collect slower than the collect interval, polled by three
 * tabs at once, must neither start a second collect of the same order nor let a late
 * answer overwrite the verification's end (the simulator, like BankID, answers a
 * finished order once: a second collect is a 400 that used to flip `approved` to
 * `failed` after the read was counted).
 */
import { describe, expect, it } from 'vitest';
import { identityFor } from '../../../server/bankid/index.js';
import { backends } from '../backends.js';
import { Recipient, useServerPerTest } from '../harness.js';

const anna = '199908072391';

describe.each(backends)('[$name] overlapping collects', (backend) => {
  const context = useServerPerTest(backend);

  it('never overwrites an ended verification, and a lease keeps others from claiming until it ends', async () => {
    const { store } = context.server.deps;
    const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
    const linkId = sealed.request.recipients[0]!.linkId;
    const now = context.bankId.clock.now();
    const start = (idHash: string) =>
      store.verifications.start({ idHash, linkId, browserHash: 'b', sealed: 's', status: 'pending', hintCode: null, startedAt: now, lastCollectAt: now, expiresAt: now + 600_000 });
    await start('v1');
    await store.verifications.setStatus('v1', 'denied', null);
    await store.verifications.setStatus('v1', 'failed', 'unknown');
    expect((await store.verifications.get('v1'))?.status).toBe('denied');
    const approval = { idHash: 'v1', linkId, messageId: sealed.request.messageId, readLimit: null, sealed: 'x', receipt: 'r', now };
    expect(await store.verifications.approve({ ...approval, releaseToken: { tokenHash: 't1', linkId, browserHash: 'b', expiresAt: now + 1 } })).toBe('ended');
    const [link] = await context.server.rows<{ reads: number }>('SELECT reads FROM links WHERE id = ?', linkId);
    expect(Number(link!.reads)).toBe(0);

    await start('v2');
    expect(await store.verifications.claimCollect('v2', now, now + 60_000)).toBe(true);
    expect(await store.verifications.claimCollect('v2', now, now + 60_000)).toBe(false);
    await store.verifications.endCollect('v2', now + 60_000, now + 500);
    expect((await store.verifications.get('v2'))?.lastCollectAt).toBe(now + 500);
  });

  it('runs one collect per order at a time for three concurrent pollers and counts the read once', async () => {
    const { server, bankId } = context;
    const interval = server.deps.config.collectIntervalMs;
    const sealed = await server.send({ recipients: [{ readers: '*' }], readLimit: 1 });
    const recipient = new Recipient(server.app, sealed.links[0]!);
    const started = await recipient.start(sealed.request.messageId);
    const { verificationId, autoStartToken } = (await started.json()) as { verificationId: string; autoStartToken: string };
    const identity = identityFor(anna);
    const { orderRef } = bankId.simulator.testApp.openByAutoStartToken(autoStartToken, { identity });
    bankId.simulator.testApp.approve(orderRef, identity);

    // A BankID that answers slower than the collect interval.
    let inFlight = 0;
    let mostInFlight = 0;
    let calls = 0;
    const collect = server.deps.bankId.collect.bind(server.deps.bankId);
    server.deps.bankId.collect = async (ref) => {
      calls += 1;
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        bankId.clock.advance(3 * interval);
        await new Promise((resolve) => setTimeout(resolve, 150));
        return await collect(ref);
      } finally {
        inFlight -= 1;
      }
    };

    bankId.clock.advance(interval);
    const statuses: number[] = [];
    const bodies: { status?: string }[] = [];
    const poller = async () => {
      for (let i = 0; i < 8; i++) {
        const response = await recipient.request(`/api/v1/verifications/${verificationId}`);
        statuses.push(response.status);
        bodies.push((await response.json()) as { status?: string });
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    };
    await Promise.all([poller(), poller(), poller()]);

    expect(mostInFlight).toBe(1);
    expect(calls).toBe(1);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(bodies.at(-1)?.status).toBe('approved');
    const final = await recipient.poll(verificationId);
    expect(final.status).toBe('approved');
    const [link] = await server.rows<{ reads: number }>('SELECT reads FROM links WHERE id = ?', recipient.linkId);
    expect(Number(link!.reads)).toBe(1);
    // The read limit of 1 was spent on this reader, who can fetch the message.
    const payload = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/0`, {
      headers: { authorization: `Bearer ${(final as { releaseToken: string }).releaseToken}` },
    });
    expect(payload.status).toBe(200);
    await payload.arrayBuffer();
  });
});
