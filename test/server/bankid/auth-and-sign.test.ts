import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUserData, encodeUserData, parseBankIdIssueDate, qrData, qrTimeAt } from '../../../server/bankid/index.js';
import { alice, bob, endUserIp, startSimulatorFixture, type SimulatorFixture } from './simulator-fixture.js';

let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture();
});
afterAll(async () => {
  await fixture?.close();
});

function signatureXml(signature: string): string {
  return Buffer.from(signature, 'base64').toString('utf8');
}

describe('auth and sign against the simulator over mTLS', () => {
  it('authenticates by QR: outstandingTransaction, userSign after the scan, then complete', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp });
    const startedAt = fixture.clock.now();
    expect(await client.collect(order.orderRef)).toEqual({ orderRef: order.orderRef, status: 'pending', hintCode: 'outstandingTransaction' });

    fixture.clock.advance(3_400);
    const qr = qrData({ ...order, qrTime: qrTimeAt(startedAt, fixture.clock.now()) });
    expect(qr).toMatch(/^bankid\.[0-9a-f-]{36}\.3\.[0-9a-f]{64}$/);
    fixture.simulator.testApp.scanQr(qr, { identity: alice });
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userSign' });

    fixture.simulator.testApp.approve(order.orderRef);
    const result = await client.collect(order.orderRef);
    if (result.status !== 'complete') throw new Error(`expected complete, got ${result.status}`);
    const { completionData } = result;
    expect(completionData.user).toEqual({ ...alice, name: 'Alva Lindqvist' });
    expect(completionData.device.ipAddress).not.toBe(endUserIp); // another device scanned the QR
    expect(completionData.device.uhi).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(parseBankIdIssueDate(completionData.bankIdIssueDate)).toBeInstanceOf(Date);
    expect(completionData.stepUp).toBeUndefined();
    expect(completionData.risk).toBeUndefined();
    expect(signatureXml(completionData.signature)).toContain('<funcId>Identification</funcId>');
    expect(Buffer.from(completionData.ocspResponse, 'base64')[0]).toBe(0x30); // DER SEQUENCE
  });

  it('authenticates by autostart: started, then complete with the end user IP as device address', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp, returnUrl: 'https://sigill.test/r/abc#nonce=1', returnRisk: true, requirement: { mrtd: true } });
    fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'started' });
    fixture.simulator.testApp.approve(order.orderRef, bob);
    const result = await client.collect(order.orderRef);
    expect(result).toMatchObject({
      status: 'complete',
      completionData: { user: { personalNumber: bob.personalNumber }, device: { ipAddress: endUserIp }, stepUp: { mrtd: true }, risk: 'low' },
    });
  });

  it('asks for the travel document (userMrtd) when mrtd is required and the app knows the user', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp, requirement: { mrtd: true } });
    fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken, { identity: alice });
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userMrtd' });
    await client.cancel(order.orderRef);
  });

  it('signs by QR and echoes userVisibleData and userNonVisibleData in the signature', async () => {
    const client = fixture.client();
    const userVisibleData = encodeUserData('Jag **godkänner** villkoren för meddelandet.');
    const userNonVisibleData = encodeUserData('linkId=abc123');
    const order = await client.sign({ endUserIp, userVisibleData, userVisibleDataFormat: 'simpleMarkdownV1', userNonVisibleData });
    fixture.simulator.testApp.scanQr(qrData({ ...order, qrTime: 0 }));
    fixture.simulator.testApp.approve(order.orderRef, alice);
    const result = await client.collect(order.orderRef);
    if (result.status !== 'complete') throw new Error('expected complete');
    const xml = signatureXml(result.completionData.signature);
    expect(xml).toContain(`<usrVisibleData charset="UTF-8" format="simpleMarkdownV1" visible="wysiwys">${userVisibleData}</usrVisibleData>`);
    expect(xml).toContain(`<usrNonVisibleData>${userNonVisibleData}</usrNonVisibleData>`);
    expect(xml).toContain('<funcId>Signing</funcId>');
    expect(decodeUserData(userVisibleData)).toContain('godkänner');
  });

  it('signs by autostart', async () => {
    const client = fixture.client();
    const order = await client.sign({ endUserIp, userVisibleData: encodeUserData('Skriv under') });
    fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken, { identity: bob });
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userSign' });
    fixture.simulator.testApp.approve(order.orderRef);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'complete', completionData: { user: { personalNumber: bob.personalNumber } } });
  });

  it('runs phone/auth through userCallConfirm and userSign to complete, returning only an orderRef', async () => {
    const client = fixture.client();
    const order = await client.phoneAuth({ personalNumber: alice.personalNumber, callInitiator: 'RP' });
    expect(Object.keys(order)).toEqual(['orderRef']);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'outstandingTransaction' });
    fixture.simulator.testApp.openPhoneOrder(order.orderRef);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userCallConfirm' });
    fixture.simulator.testApp.confirmCall(order.orderRef);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userSign' });
    fixture.simulator.testApp.approve(order.orderRef);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'complete', completionData: { user: { personalNumber: alice.personalNumber } } });
  });

  it('runs phone/sign, and the user can decline the call', async () => {
    const client = fixture.client();
    const order = await client.phoneSign({ personalNumber: bob.personalNumber, callInitiator: 'user', userVisibleData: encodeUserData('Avtal') });
    fixture.simulator.testApp.openPhoneOrder(order.orderRef);
    fixture.simulator.testApp.fail(order.orderRef, 'userDeclinedCall');
    expect(await client.collect(order.orderRef)).toEqual({ orderRef: order.orderRef, status: 'failed', hintCode: 'userDeclinedCall' });
  });

  it('hands out a terminal result once: the next collect is 400 invalidParameters', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp });
    fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken, { identity: alice });
    fixture.simulator.testApp.approve(order.orderRef);
    expect((await client.collect(order.orderRef)).status).toBe('complete');
    await expect(client.collect(order.orderRef)).rejects.toMatchObject({ code: 'invalid_parameters', httpStatus: 400, errorCode: 'invalidParameters' });
  });

  it('cancels a pending order; collecting or cancelling it again is 400 invalidParameters', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp });
    await client.cancel(order.orderRef);
    await expect(client.collect(order.orderRef)).rejects.toMatchObject({ code: 'invalid_parameters' });
    await expect(client.cancel(order.orderRef)).rejects.toMatchObject({ code: 'invalid_parameters' });
  });
});
