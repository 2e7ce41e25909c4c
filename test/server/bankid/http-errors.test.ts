import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankIdError, userMessage, type BankIdCallEvent } from '../../../server/bankid/index.js';
import { alice, endUserIp, startSimulatorFixture, type SimulatorFixture } from './simulator-fixture.js';

let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture();
});
afterAll(async () => {
  await fixture?.close();
});

/** A hand-made request with the RP certificate, for what the client never sends. */
function rawRequest(method: string, path: string, contentType: string | undefined, body = '{}'): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, fixture.simulator.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = contentType === undefined ? {} : { 'Content-Type': contentType };
    const outgoing = request(url, { method, pfx: fixture.simulator.rpPfx, passphrase: fixture.simulator.rpPassphrase, ca: fixture.simulator.caPem, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    outgoing.on('error', reject);
    outgoing.end(method === 'GET' ? undefined : body);
  });
}

async function failure(promise: Promise<unknown>): Promise<BankIdError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof BankIdError)) throw new Error(`expected a BankIdError, got ${String(error)}`);
  return error;
}

describe('BankID error answers as typed BankIdErrors', () => {
  it('maps 400 invalidParameters for an unknown orderRef', async () => {
    const error = await failure(fixture.client().collect('7f5b6c1e-0000-4000-8000-000000000000'));
    expect(error).toMatchObject({ code: 'invalid_parameters', httpStatus: 400, errorCode: 'invalidParameters', details: 'No such order', retryable: false });
    expect(userMessage(error, 'en').rfa).toBe('RFA5');
  });

  it('maps 400 alreadyInProgress and shows RFA4', async () => {
    const client = fixture.client();
    const first = await client.phoneAuth({ personalNumber: alice.personalNumber, callInitiator: 'RP' });
    const error = await failure(client.phoneAuth({ personalNumber: alice.personalNumber, callInitiator: 'RP' }));
    expect(error).toMatchObject({ code: 'already_in_progress', httpStatus: 400, errorCode: 'alreadyInProgress' });
    expect(userMessage(error, 'sv')).toEqual({ rfa: 'RFA4', text: expect.stringContaining('redan påbörjad') });
    expect(await client.collect(first.orderRef)).toMatchObject({ status: 'failed', hintCode: 'cancelled' });
  });

  it('maps an unknown 400 errorCode to bankid_error and RFA22', async () => {
    fixture.simulator.testApp.failNextCall({ httpStatus: 400, errorCode: 'brandNewCode' });
    const error = await failure(fixture.client().auth({ endUserIp }));
    expect(error).toMatchObject({ code: 'bankid_error', errorCode: 'brandNewCode' });
    expect(userMessage(error, 'en').rfa).toBe('RFA22');
  });

  it.each([
    [401, 'unauthorized', 'unauthorized', 'RFA5'],
    [403, 'unauthorized', 'unauthorized', 'RFA5'],
    [408, 'request_timeout', 'requestTimeout', 'RFA5'],
    [500, 'internal_error', 'internalError', 'RFA5'],
  ] as const)('maps HTTP %i to %s without retrying', async (httpStatus, code, errorCode, rfa) => {
    const events: BankIdCallEvent[] = [];
    fixture.simulator.testApp.failNextCall({ httpStatus });
    const error = await failure(fixture.client({ onCall: (event) => events.push(event) }).auth({ endUserIp }));
    expect(error).toMatchObject({ code, httpStatus, errorCode, retryable: false });
    expect(events).toHaveLength(1);
    expect(userMessage(error, 'en').rfa).toBe(rfa);
  });

  it('answers 404 notFound for a path BankID does not have', async () => {
    const client = fixture.client({ baseUrl: fixture.simulator.url.replace('/rp/v6.0/', '/rp/v5.1/') });
    expect(await failure(client.auth({ endUserIp }))).toMatchObject({ code: 'not_found', httpStatus: 404, errorCode: 'notFound' });
    expect(await rawRequest('POST', 'payment/unknown', 'application/json')).toEqual({ status: 404, json: { errorCode: 'notFound', details: expect.any(String) } });
  });

  it('answers 405 methodNotAllowed for anything but POST', async () => {
    expect(await rawRequest('GET', 'collect', undefined)).toEqual({ status: 405, json: { errorCode: 'methodNotAllowed', details: expect.any(String) } });
    expect(await rawRequest('PUT', 'auth', 'application/json')).toMatchObject({ status: 405 });
    fixture.simulator.testApp.failNextCall({ httpStatus: 405 });
    expect(await failure(fixture.client().auth({ endUserIp }))).toMatchObject({ code: 'method_not_allowed', httpStatus: 405 });
  });

  it('answers 415 unsupportedMediaType for a charset on the content type, or another type', async () => {
    const body = JSON.stringify({ endUserIp });
    expect(await rawRequest('POST', 'auth', 'application/json; charset=UTF-8', body)).toEqual({ status: 415, json: { errorCode: 'unsupportedMediaType', details: expect.any(String) } });
    expect(await rawRequest('POST', 'auth', 'text/plain', body)).toMatchObject({ status: 415 });
    expect(await rawRequest('POST', 'auth', 'application/json', body)).toMatchObject({ status: 200 });
    fixture.simulator.testApp.failNextCall({ httpStatus: 415 });
    expect(await failure(fixture.client().auth({ endUserIp }))).toMatchObject({ code: 'unsupported_media_type', httpStatus: 415 });
  });

  it('answers 400 invalidParameters for bad JSON or fields the client would have refused', async () => {
    expect(await rawRequest('POST', 'auth', 'application/json', '{not json')).toMatchObject({ status: 400, json: { errorCode: 'invalidParameters' } });
    expect(await rawRequest('POST', 'auth', 'application/json', JSON.stringify({ endUserIp: 'not-an-ip' }))).toMatchObject({
      status: 400,
      json: { errorCode: 'invalidParameters', details: expect.stringContaining('endUserIp') },
    });
    expect(await rawRequest('POST', 'auth', 'application/json', JSON.stringify({ endUserIp, returnUrl: '' }))).toMatchObject({ status: 400 });
    expect(await rawRequest('POST', 'sign', 'application/json', JSON.stringify({ endUserIp }))).toMatchObject({
      status: 400,
      json: { details: expect.stringContaining('userVisibleData') },
    });
  });

  it('retries 503 maintenance silently and succeeds when BankID is back', async () => {
    const events: BankIdCallEvent[] = [];
    fixture.simulator.testApp.failNextCall({ httpStatus: 503, times: 2 });
    const order = await fixture.client({ onCall: (event) => events.push(event) }).auth({ endUserIp });
    expect(order.orderRef).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.map((event) => event.outcome)).toEqual(['maintenance', 'maintenance', 'ok']);
  });

  it('gives up on repeated 503 maintenance with a retryable error and RFA5', async () => {
    fixture.simulator.testApp.failNextCall({ httpStatus: 503, times: 2 });
    const error = await failure(fixture.client({ maintenanceRetries: 1 }).auth({ endUserIp }));
    expect(error).toMatchObject({ code: 'maintenance', httpStatus: 503, errorCode: 'maintenance', retryable: true });
    expect(userMessage(error, 'en').rfa).toBe('RFA5');
  });
});

describe('requests refused before sending', () => {
  it.each([
    ['endUserIp is not an IP address', { endUserIp: 'localhost' }, 'endUserIp'],
    ['returnUrl is empty', { endUserIp, returnUrl: '' }, 'returnUrl'],
    ['returnUrl is over 512 characters', { endUserIp, returnUrl: `https://x.test/${'a'.repeat(500)}` }, 'returnUrl'],
    ['userVisibleData is over 1 500 characters for auth', { endUserIp, userVisibleData: 'QUFB'.repeat(376) }, 'userVisibleData'],
    ['userVisibleData is not base64', { endUserIp, userVisibleData: 'hej då' }, 'userVisibleData'],
    ['web.userAgent is over 256 characters', { endUserIp, web: { referringDomain: 'sigill.se', userAgent: 'a'.repeat(257), deviceIdentifier: 'd' } }, 'web.userAgent'],
    ['requirement.personalNumber fails the check digit', { endUserIp, requirement: { personalNumber: '198707049996' } }, 'requirement.personalNumber'],
    ['requirement.cardReader is unknown', { endUserIp, requirement: { cardReader: 'class3' } }, 'requirement.cardReader'],
    ['a policy wildcard comes too early', { endUserIp, requirement: { certificatePolicies: ['1.2.*'] } }, 'requirement.certificatePolicies'],
  ])('refuses auth when %s', async (_, request, field) => {
    const events: BankIdCallEvent[] = [];
    const error = await failure(fixture.client({ onCall: (event) => events.push(event) }).auth(request as never));
    expect(error.code).toBe('request_invalid');
    expect(error.message).toContain(field);
    expect(events).toEqual([]); // nothing was sent
  });

  it('accepts the largest sign data BankID allows and refuses one more character', async () => {
    const client = fixture.client();
    const userVisibleData = 'QUFB'.repeat(10_000); // 40 000 characters
    const order = await client.sign({ endUserIp, userVisibleData, userNonVisibleData: 'QUFB'.repeat(50_000) });
    await client.cancel(order.orderRef);
    expect((await failure(client.sign({ endUserIp, userVisibleData: `${userVisibleData}QUE=` }))).code).toBe('request_invalid');
  });

  it('refuses phone orders without a valid personal number or call initiator', async () => {
    const client = fixture.client();
    expect((await failure(client.phoneAuth({ personalNumber: '201509160006', callInitiator: 'RP' }))).message).toContain('personalNumber');
    expect((await failure(client.phoneAuth({ personalNumber: alice.personalNumber, callInitiator: 'rp' as never }))).message).toContain('callInitiator');
    expect((await failure(client.phoneAuth({ personalNumber: alice.personalNumber, callInitiator: 'RP', requirement: { mrtd: true } as never }))).message).toContain('requirement.mrtd');
  });
});

describe('no identifiers in errors', () => {
  it('keeps personal numbers, orderRefs, tokens and secrets out of error messages and JSON', async () => {
    const client = fixture.client();
    const personalNumber = '199012119948';
    const order = await client.auth({ endUserIp, requirement: { personalNumber } });
    const secrets = [personalNumber, '901211-9948', order.orderRef, order.autoStartToken, order.qrStartToken, order.qrStartSecret, fixture.simulator.rpPassphrase];
    const errors: BankIdError[] = [];
    errors.push(await failure(client.auth({ endUserIp, requirement: { personalNumber } }))); // alreadyInProgress
    await client.collect(order.orderRef); // the cancelled order, collected once
    errors.push(await failure(client.collect(order.orderRef))); // now unknown
    fixture.simulator.testApp.failNextCall({ httpStatus: 400, details: `No such order ${order.orderRef} for ${personalNumber} (901211-9948), secret ${order.qrStartSecret}` });
    errors.push(await failure(client.collect(order.orderRef)));
    errors.push(await failure(client.phoneAuth({ personalNumber: `${personalNumber}0`, callInitiator: 'RP' })));
    errors.push(await failure(client.cancel('')));
    for (const error of errors) {
      const exposed = `${error.message} ${JSON.stringify(error)} ${String(error)} ${error.stack ?? ''}`;
      for (const secret of secrets) expect(exposed).not.toContain(secret);
    }
    expect(errors[2]?.details).toContain('[redacted]');
  });
});
