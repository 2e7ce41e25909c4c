import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderTimings, qrData } from '../../../server/bankid/index.js';
import { alice, bob, endUserIp, startSimulatorFixture, type SimulatorFixture } from './simulator-fixture.js';

// Every timing here moves the injected clock; nothing sleeps.
let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture();
});
afterAll(async () => {
  await fixture?.close();
});

describe('order life cycle on the injected clock', () => {
  it('fails with startFailed when no app picks the order up within 30 s', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp });
    fixture.clock.advance(orderTimings.pickupWindowMs - 1);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'outstandingTransaction' });
    fixture.clock.advance(1);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'failed', hintCode: 'startFailed' });
  });

  it('expires a picked-up order after 3 minutes (expiredTransaction)', async () => {
    const client = fixture.client();
    const order = await client.sign({ endUserIp, userVisibleData: 'U2tyaXYgdW5kZXI=' });
    fixture.simulator.testApp.scanQr(qrData({ ...order, qrTime: 0 }));
    fixture.clock.advance(orderTimings.orderLifetimeMs - 1);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userSign' });
    fixture.clock.advance(1);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'failed', hintCode: 'expiredTransaction' });
  });

  it('expires a phone order nobody answers after 3 minutes', async () => {
    const client = fixture.client();
    const order = await client.phoneAuth({ personalNumber: '199012119948', callInitiator: 'user' });
    fixture.clock.advance(orderTimings.pickupWindowMs);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending' });
    fixture.clock.advance(orderTimings.orderLifetimeMs - orderTimings.pickupWindowMs);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'failed', hintCode: 'expiredTransaction' });
  });

  it('keeps a completed order collectable for 3 minutes, then answers 400 invalidParameters', async () => {
    const client = fixture.client();
    const early = await client.auth({ endUserIp });
    const late = await client.auth({ endUserIp });
    for (const order of [early, late]) {
      fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken);
      fixture.simulator.testApp.approve(order.orderRef, { ...alice, personalNumber: order === early ? alice.personalNumber : bob.personalNumber });
    }
    fixture.clock.advance(orderTimings.completeCollectableMs - 1);
    expect((await client.collect(early.orderRef)).status).toBe('complete');
    fixture.clock.advance(1);
    await expect(client.collect(late.orderRef)).rejects.toMatchObject({ httpStatus: 400, errorCode: 'invalidParameters' });
  });

  it('keeps a failed order collectable for 5 minutes, then answers 400 invalidParameters', async () => {
    const client = fixture.client();
    const early = await client.auth({ endUserIp });
    const late = await client.auth({ endUserIp });
    fixture.clock.advance(orderTimings.pickupWindowMs); // both end startFailed now
    fixture.clock.advance(orderTimings.failedCollectableMs - 1);
    expect(await client.collect(early.orderRef)).toMatchObject({ status: 'failed', hintCode: 'startFailed' });
    fixture.clock.advance(1);
    await expect(client.collect(late.orderRef)).rejects.toMatchObject({ code: 'invalid_parameters' });
  });

  it.each(['userCancel', 'certificateErr', 'startFailed', 'expiredTransaction', 'userDeclinedCall', 'notSupportedByUserApp', 'transactionRiskBlocked', 'someFutureCode'])(
    'reports the failure hint code %s as BankID sends it',
    async (hintCode) => {
      const client = fixture.client();
      const order = await client.auth({ endUserIp });
      fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken);
      if (hintCode === 'userCancel') fixture.simulator.testApp.cancel(order.orderRef);
      else fixture.simulator.testApp.fail(order.orderRef, hintCode);
      expect(await client.collect(order.orderRef)).toEqual({ orderRef: order.orderRef, status: 'failed', hintCode });
    },
  );

  it('refuses a second order with the same personal number (alreadyInProgress) and cancels the first', async () => {
    const client = fixture.client();
    const first = await client.auth({ endUserIp, requirement: { personalNumber: alice.personalNumber } });
    await expect(client.auth({ endUserIp, requirement: { personalNumber: alice.personalNumber } })).rejects.toMatchObject({
      code: 'already_in_progress',
      httpStatus: 400,
      errorCode: 'alreadyInProgress',
    });
    expect(await client.collect(first.orderRef)).toMatchObject({ status: 'failed', hintCode: 'cancelled' });
    // With the conflict resolved, a new order for the same person starts.
    const again = await client.phoneAuth({ personalNumber: alice.personalNumber, callInitiator: 'RP' });
    await client.cancel(again.orderRef);
  });

  it('cancels the older pending order when the same person picks up a new one', async () => {
    const client = fixture.client();
    const older = await client.auth({ endUserIp });
    fixture.simulator.testApp.openByAutoStartToken(older.autoStartToken, { identity: bob });
    const newer = await client.auth({ endUserIp });
    fixture.simulator.testApp.openByAutoStartToken(newer.autoStartToken, { identity: bob });
    expect(await client.collect(older.orderRef)).toMatchObject({ status: 'failed', hintCode: 'cancelled' });
    expect(await client.collect(newer.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userSign' });
    await client.cancel(newer.orderRef);
  });

  it('lets only the required person complete an order', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp, requirement: { personalNumber: bob.personalNumber } });
    fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken);
    expect(() => fixture.simulator.testApp.approve(order.orderRef, alice)).toThrowError(expect.objectContaining({ code: 'personal_number_mismatch' }));
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending' });
    fixture.simulator.testApp.approve(order.orderRef);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'complete', completionData: { user: { personalNumber: bob.personalNumber } } });
  });

  it('does not let the app approve an order it never opened', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp });
    expect(() => fixture.simulator.testApp.approve(order.orderRef, alice)).toThrowError(expect.objectContaining({ code: 'order_not_started' }));
    await client.cancel(order.orderRef);
  });
});
