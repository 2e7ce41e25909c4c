import { beforeAll, describe, expect, it } from 'vitest';
import { createBankIdSimulatorApps, createManualClock, generateSimulatorPki, type SimulatorPki } from '../../../server/bankid/index.js';

// The RP API app mounted in-process (no TLS), as the server may do; a fresh app per test.
let pki: SimulatorPki;
beforeAll(() => {
  pki = generateSimulatorPki();
});

function freshApp() {
  return createBankIdSimulatorApps({ pki, clock: createManualClock() });
}

const post = (path: string, body: unknown, contentType = 'application/json') => ({
  method: 'POST',
  headers: { 'Content-Type': contentType },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('the simulated RP API in-process', () => {
  it('starts an auth order with four UUID fields and collects it as pending', async () => {
    const { rpApi } = freshApp();
    const started = await rpApi.request('/rp/v6.0/auth', post('auth', { endUserIp: '::1' }));
    expect(started.status).toBe(200);
    const order = (await started.json()) as Record<string, string>;
    expect(Object.keys(order).sort()).toEqual(['autoStartToken', 'orderRef', 'qrStartSecret', 'qrStartToken']);
    for (const value of Object.values(order)) expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const collected = await rpApi.request('/rp/v6.0/collect', post('collect', { orderRef: order.orderRef }));
    expect(await collected.json()).toEqual({ orderRef: order.orderRef, status: 'pending', hintCode: 'outstandingTransaction' });
  });

  it('answers the documented error classes with {errorCode, details}', async () => {
    const { rpApi } = freshApp();
    const cases: Array<[string, RequestInit, number, string]> = [
      ['/rp/v6.0/nothing', post('', {}), 404, 'notFound'],
      ['/other', post('', {}), 404, 'notFound'],
      ['/rp/v6.0/auth', { method: 'GET' }, 405, 'methodNotAllowed'],
      ['/rp/v6.0/auth', post('', { endUserIp: '192.0.2.1' }, 'application/json;charset=UTF-8'), 415, 'unsupportedMediaType'],
      ['/rp/v6.0/auth', post('', '[]'), 400, 'invalidParameters'],
      ['/rp/v6.0/collect', post('', { orderRef: 'unknown' }), 400, 'invalidParameters'],
      ['/rp/v6.0/cancel', post('', {}), 400, 'invalidParameters'],
      ['/rp/v6.0/phone/auth', post('', { personalNumber: '199908072391' }), 400, 'invalidParameters'],
    ];
    for (const [path, init, status, errorCode] of cases) {
      const response = await rpApi.request(path, init);
      expect({ path, status: response.status }).toEqual({ path, status });
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({ errorCode, details: expect.any(String) });
    }
  });

  it('makes only the next call fail when asked to', async () => {
    const { rpApi, testApp } = freshApp();
    testApp.failNextCall({ httpStatus: 503 });
    expect((await rpApi.request('/rp/v6.0/auth', post('', { endUserIp: '192.0.2.1' }))).status).toBe(503);
    expect((await rpApi.request('/rp/v6.0/auth', post('', { endUserIp: '192.0.2.1' }))).status).toBe(200);
  });
});
