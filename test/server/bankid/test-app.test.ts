import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrData, qrMaxAgeSeconds, qrTimeAt, type OrderResponse } from '../../../server/bankid/index.js';
import { alice, endUserIp, startSimulatorFixture, type SimulatorFixture } from './simulator-fixture.js';

let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture();
});
afterAll(async () => {
  await fixture?.close();
});

async function startOrder(): Promise<{ order: OrderResponse; startedAt: number }> {
  const order = await fixture.client().auth({ endUserIp });
  return { order, startedAt: fixture.clock.now() };
}

function scanError(qr: string): string | undefined {
  try {
    fixture.simulator.testApp.scanQr(qr);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('the test app scanning QR codes like the real app', () => {
  it(`accepts a QR code up to ${qrMaxAgeSeconds} s old and refuses an older one`, async () => {
    const { order, startedAt } = await startOrder();
    const shownAtZero = qrData({ ...order, qrTime: 0 });
    fixture.clock.advance(2_999); // elapsed 2 s: the code from second 0 is 2 s old
    expect(qrTimeAt(startedAt, fixture.clock.now())).toBe(2);
    fixture.clock.advance(1); // elapsed 3 s: now too old
    expect(scanError(shownAtZero)).toBe('qr_too_old');
    const current = qrData({ ...order, qrTime: qrTimeAt(startedAt, fixture.clock.now()) });
    expect(scanError(current)).toBeUndefined();
  });

  it('refuses a QR code with a wrong HMAC, one from the future, and garbage', async () => {
    const { order } = await startOrder();
    expect(scanError(qrData({ ...order, qrStartSecret: 'not-the-secret', qrTime: 0 }))).toBe('qr_auth_code_invalid');
    expect(scanError(qrData({ ...order, qrTime: 5 }))).toBe('qr_not_yet_valid');
    expect(scanError('https://example.test/')).toBe('qr_malformed');
    expect(scanError(qrData({ ...order, qrStartToken: '00000000-0000-4000-8000-000000000000', qrTime: 0 }))).toBe('qr_unknown');
  });

  it('refuses to scan an order twice or after it ended', async () => {
    const { order } = await startOrder();
    expect(scanError(qrData({ ...order, qrTime: 0 }))).toBeUndefined();
    expect(scanError(qrData({ ...order, qrTime: 0 }))).toBe('order_already_started');
    const other = await startOrder();
    fixture.clock.advance(30_000);
    expect(scanError(qrData({ ...other.order, qrTime: 30 }))).toBe('order_not_pending');
  });
});

describe('the test app over HTTP', () => {
  const control = async (path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const response = await fetch(new URL(path, fixture.simulator.testAppUrl), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  };

  it('serves the web page', async () => {
    const response = await fetch(fixture.simulator.testAppUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('BankID test app');
  });

  it('scans, lists and approves through the control API', async () => {
    const client = fixture.client();
    const order = await client.sign({ endUserIp, userVisibleData: Buffer.from('Godkänn avtalet').toString('base64') });
    const scanned = await control('control/scan', { qrData: qrData({ ...order, qrTime: 0 }), identity: { personalNumber: alice.personalNumber } });
    expect(scanned).toEqual({ status: 200, json: { orderRef: order.orderRef } });
    const listed = await control('control/orders');
    expect(listed.json).toContainEqual(expect.objectContaining({ orderRef: order.orderRef, hintCode: 'userSign', userVisibleText: 'Godkänn avtalet' }));
    expect((await control(`control/orders/${order.orderRef}/approve`, {})).status).toBe(200);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'complete', completionData: { user: { givenName: 'Alva' } } });
  });

  it('opens by autoStartToken, fails with a hint code, and injects RP API errors', async () => {
    const client = fixture.client();
    const order = await client.auth({ endUserIp });
    expect((await control('control/open', { autoStartToken: order.autoStartToken })).json).toEqual({ orderRef: order.orderRef });
    expect((await control(`control/orders/${order.orderRef}/fail`, { hintCode: 'certificateErr' })).status).toBe(200);
    expect(await client.collect(order.orderRef)).toMatchObject({ status: 'failed', hintCode: 'certificateErr' });
    expect((await control('control/fail-next-call', { httpStatus: 500 })).status).toBe(200);
    await expect(client.auth({ endUserIp })).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('answers refusals as {error:{code,message}}', async () => {
    expect(await control('control/open', { autoStartToken: 'no-such-token' })).toEqual({
      status: 404,
      json: { error: { code: 'auto_start_token_unknown', message: expect.any(String) } },
    });
    expect((await control('control/scan', { qrData: 'bankid.x' })).json.error.code).toBe('qr_malformed');
    expect((await control('control/fail-next-call', { httpStatus: 302 })).json.error.code).toBe('request_invalid');
  });
});
