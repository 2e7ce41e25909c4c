import { X509Certificate } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankIdError, generateSimulatorPki, type SimulatorPki } from '../../../server/bankid/index.js';
import { issueCertificate, toPkcs12 } from '../../../server/bankid/simulator/certificates.js';
import { endUserIp, startSimulatorFixture, type SimulatorFixture } from './simulator-fixture.js';

let fixture: SimulatorFixture;
/** A second, unrelated PKI: its RP certificate and CA are strangers to the simulator. */
let stranger: SimulatorPki;
beforeAll(async () => {
  fixture = await startSimulatorFixture();
  stranger = generateSimulatorPki();
  // Two PKIs of RSA keys: seconds on a busy 2-core machine, past vitest's 10 s default.
}, 120_000);
afterAll(async () => {
  await fixture?.close();
});

async function failure(promise: Promise<unknown>): Promise<BankIdError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof BankIdError)) throw new Error(`expected a BankIdError, got ${String(error)}`);
  return error;
}

describe('mutual TLS', () => {
  it('refuses a connection without a client certificate during the TLS handshake', async () => {
    const outcome = await new Promise<{ status?: number; errorCode?: string }>((resolve) => {
      const outgoing = request(new URL('auth', fixture.simulator.url), { method: 'POST', ca: fixture.simulator.caPem, headers: { 'Content-Type': 'application/json' } }, (incoming) =>
        resolve({ status: incoming.statusCode ?? 0 }),
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code ?? 'unknown' }));
      outgoing.end(JSON.stringify({ endUserIp }));
    });
    expect(outcome.status).toBeUndefined(); // no HTTP answer at all
    expect(outcome.errorCode).toMatch(/^(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE|ECONNRESET)$/);
  });

  it('refuses a client whose RP certificate the simulator did not issue, with no HTTP status', async () => {
    const passphrase = 'stranger-passphrase';
    const client = fixture.client({ pfx: toPkcs12(stranger.rp, [stranger.root.certPem], passphrase), passphrase });
    const error = await failure(client.auth({ endUserIp }));
    expect(error.code).toMatch(/^(tls_error|network_error)$/);
    expect(error.httpStatus).toBeUndefined();
    expect(fixture.simulator.testApp.pendingOrders()).toEqual([]); // the request never reached the API
  });

  it('refuses a server that the configured CA did not issue', async () => {
    const error = await failure(fixture.client({ ca: stranger.root.certPem }).auth({ endUserIp }));
    expect(error).toMatchObject({ code: 'tls_error', httpStatus: undefined });
    expect(error.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('reports a wrong PKCS#12 passphrase as client_certificate_invalid without echoing it', () => {
    let caught: unknown;
    try {
      fixture.client({ passphrase: 'wrong-passphrase-123' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BankIdError);
    expect((caught as BankIdError).code).toBe('client_certificate_invalid');
    expect(JSON.stringify(caught)).not.toContain('wrong-passphrase-123');
  });

  it('trusts only the configured CA even when the PKCS#12 carries its own root', async () => {
    // The stranger's bundle includes the stranger's root. Handed to Node as `pfx`, that root would
    // become trusted; the client reads the bundle itself, so a stranger-signed server stays refused.
    const passphrase = 'stranger-passphrase';
    const client = fixture.client({ pfx: toPkcs12(fixture.simulator.core.pki.rp, [stranger.root.certPem, fixture.simulator.core.pki.root.certPem], passphrase), passphrase, ca: stranger.root.certPem });
    expect((await failure(client.auth({ endUserIp }))).code).toBe('tls_error');
  });

  it('connects with the simulator RP certificate', async () => {
    const client = fixture.client();
    const first = await client.auth({ endUserIp });
    const second = await client.auth({ endUserIp });
    expect(first.orderRef).not.toBe(second.orderRef);
    await client.cancel(first.orderRef);
    await client.cancel(second.orderRef);
  });

  it('gives up with a timeout error when the server accepts but never answers', async () => {
    const { pki } = fixture.simulator.core;
    const silent = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: [pki.root.certPem], requestCert: true }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/rp/v6.0/`;
      const error = await failure(fixture.client({ baseUrl, timeoutMs: 150 }).auth({ endUserIp }));
      expect(error).toMatchObject({ code: 'timeout', httpStatus: undefined, retryable: false });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("knows each order's RP by its certificate: another RP of the same CA cannot collect or cancel it", async () => {
    const { pki } = fixture.simulator.core;
    const order = await fixture.client().auth({ endUserIp });
    const rpFingerprint = new X509Certificate(pki.rp.certPem).fingerprint256;
    expect(fixture.simulator.core.orders.get(order.orderRef)?.rp.fingerprint).toBe(rpFingerprint);
    const otherRp = issueCertificate({ subject: [{ name: 'commonName', value: 'Another RP' }], issuer: pki.root, extensions: [{ name: 'extKeyUsage', clientAuth: true }] });
    const other = fixture.client({ pfx: toPkcs12(otherRp, [], 'other'), passphrase: 'other' });
    expect(await failure(other.collect(order.orderRef))).toMatchObject({ code: 'invalid_parameters' });
    expect(await failure(other.cancel(order.orderRef))).toMatchObject({ code: 'invalid_parameters' });
    expect(await fixture.client().collect(order.orderRef)).toMatchObject({ status: 'pending' });
    await fixture.client().cancel(order.orderRef);
  });
});
