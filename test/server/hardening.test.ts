/**
 * Issue 15's findings, each with the behaviour that closes it: the development outbox only
 * on the development defaults, X-Forwarded-For from the trusted proxy only, BankID's
 * refusals of bad input as a 4xx, no secret in a log line for `%23` links, the cookie's
 * Secure from the public origin, canonical payload indexes, the public origin reported.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { BankIdError } from '../../server/bankid/index.js';
import { errorHandler } from '../../server/http/errors.js';
import { ConfigError, loadConfig, type Config } from '../../server/config.js';
import { encodeBase64url } from '../../shared/base64url.js';
import { Recipient, startServer, useServerPerTest, type TestServer } from './harness.js';

const context = useServerPerTest();
const extra: TestServer[] = [];
afterEach(async () => {
  await Promise.all(extra.splice(0).map((server) => server.close()));
});

async function serverWith(overrides: Partial<Config>): Promise<TestServer> {
  const server = await startServer(context.bankId, overrides);
  extra.push(server);
  return server;
}

const codeOf = async (response: Response | Promise<Response>) => {
  const answer = await response;
  const body = (await answer.json().catch(() => ({}))) as { error?: { code: string } };
  return [answer.status, body.error?.code];
};

describe('the development outbox (issue 15 item 1)', () => {
  it('answers on the development defaults: the BankID simulator and the outbox transport', async () => {
    expect((await context.server.app.request('/dev/outbox')).status).toBe(200);
    expect((await context.server.app.request('/dev/outbox.json')).status).toBe(200);
  });

  it('answers 404 with a real BankID, and with the outbox transport off', async () => {
    for (const overrides of [{ bankId: 'production' as const }, { bankId: 'test' as const }, { smsTransport: 'none' as const }]) {
      const server = await serverWith(overrides);
      expect([await codeOf(server.app.request('/dev/outbox')), await codeOf(server.app.request('/dev/outbox.json'))]).toEqual([
        [404, 'not_found'],
        [404, 'not_found'],
      ]);
    }
  });

  it('refuses the outbox transport beside a real BankID, and no SMS relay answers 501', async () => {
    const real = { SIGILL_BANKID: 'production', SIGILL_BANKID_PFX: '/rp.p12', SIGILL_BANKID_CA: '/ca.pem' };
    expect(() => loadConfig({ ...real, SIGILL_SMS_TRANSPORT: 'outbox' })).toThrow(ConfigError);
    expect(loadConfig(real).smsTransport).toBe('none');
    expect(() => loadConfig({ ...real, SIGILL_DEMO_SENDER: 'true' })).toThrow(ConfigError);

    const server = await serverWith({ bankId: 'production', smsTransport: 'none' });
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    const linkId = sealed.request.recipients[0]!.linkId;
    const relayed = server.api('POST', `/api/v1/messages/${sealed.request.messageId}/sms`, { linkId, to: '0701234567', text: `Läs: ${sealed.links[0]}` });
    expect(await codeOf(relayed)).toEqual([501, 'sms_not_configured']);
    expect(server.outbox.entries()).toEqual([]);
  });

  it('refuses to run the simulator with NODE_ENV=production or a public https origin, unless forced', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/refusing to run the BankID simulator/);
    expect(() => loadConfig({ SIGILL_PUBLIC_ORIGIN: 'https://sigill.example.se' })).toThrow(/SIGILL_FORCE_SIMULATOR/);
    expect(loadConfig({ SIGILL_PUBLIC_ORIGIN: 'https://localhost:8443' }).bankId).toBe('simulator');
    expect(loadConfig({ SIGILL_PUBLIC_ORIGIN: 'http://sigill.test:8787' }).bankId).toBe('simulator');
    expect(loadConfig({ NODE_ENV: 'production', SIGILL_FORCE_SIMULATOR: 'true' }).bankId).toBe('simulator');
  });
});

describe('X-Forwarded-For behind a trusted proxy (issue 15 item 3)', () => {
  async function startFrom(server: TestServer, link: string, forwardedFor: string, authKey?: string) {
    const recipient = new Recipient(server.app, link);
    const info = (await (await recipient.request(`/api/v1/links/${recipient.linkId}`)).json()) as { messageId: string };
    return recipient.request(`/api/v1/links/${recipient.linkId}/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ authKey: authKey ?? recipient.authKeyFor(info.messageId) }),
    });
  }

  it('a rotated leftmost entry does not bypass the per-IP limit', async () => {
    const server = await serverWith({ proxyHops: 1, startsPerIp: 3, startsPerLink: 100 });
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await startFrom(server, sealed.links[0]!, `10.9.8.${i}, 203.0.113.7`));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 429, 429]);
    // A refusal says when the window ends: whole seconds, at most the window's length.
    const retryAfter = Number(answers[3]!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= server.deps.config.rateWindowMs / 1000).toBe(true);
  });

  it('a crafted leftmost entry does not spend another address’s limit', async () => {
    const server = await serverWith({ proxyHops: 1, startsPerIp: 2, startsPerLink: 100 });
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    for (let i = 0; i < 4; i++) await startFrom(server, sealed.links[0]!, '198.51.100.9, 203.0.113.7');
    expect((await startFrom(server, sealed.links[0]!, '198.51.100.9')).status).toBe(201);
  });

  it('takes the configured number of hops from the right', async () => {
    const server = await serverWith({ proxyHops: 2, startsPerIp: 1, startsPerLink: 100 });
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    expect((await startFrom(server, sealed.links[0]!, '6.6.6.6, 198.51.100.20, 10.0.0.2')).status).toBe(201);
    expect((await startFrom(server, sealed.links[0]!, '7.7.7.7, 198.51.100.20, 10.0.0.3')).status).toBe(429);
  });

  it('SIGILL_TRUST_PROXY is off, true (one proxy) or a number of proxies', () => {
    expect([undefined, 'false', 'true', '1', '2', '0'].map((value) => loadConfig(value === undefined ? {} : { SIGILL_TRUST_PROXY: value }).proxyHops)).toEqual([0, 0, 1, 1, 2, 0]);
    expect(() => loadConfig({ SIGILL_TRUST_PROXY: 'leftmost' })).toThrow(ConfigError);
  });

  it('garbage never reaches BankID as endUserIp and never gives a 5xx', async () => {
    const server = await serverWith({ proxyHops: 1 });
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    for (const garbage of ['not-an-ip', '999.1.1.1', '', ',,,', '1.2.3.4:80', '<script>', 'x'.repeat(5000)]) {
      expect([garbage.slice(0, 20), (await startFrom(server, sealed.links[0]!, garbage)).status]).toEqual([garbage.slice(0, 20), 201]);
    }
  });
});

describe('BankID errors caused by the caller (issue 15 item 4)', () => {
  it('BankID 400 invalidParameters answers 400 with its code, and only BankID down answers 503', async () => {
    const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
    const recipient = new Recipient(context.server.app, sealed.links[0]!);
    const info = (await (await recipient.request(`/api/v1/links/${recipient.linkId}`)).json()) as { messageId: string };
    context.bankId.simulator.core.failures.add({ httpStatus: 400 });
    expect(await codeOf(recipient.start(info.messageId))).toEqual([400, 'bankid_invalid_parameters']);
    context.bankId.simulator.core.failures.add({ httpStatus: 500 });
    expect(await codeOf(recipient.start(info.messageId))).toEqual([503, 'bankid_unavailable']);
    expect((await recipient.start(info.messageId)).status).toBe(201);
  });

  it('a request the BankID client refuses before sending answers 400 bankid_request_invalid, never 503', async () => {
    const app = new Hono();
    app.onError(errorHandler(context.server.deps.logger));
    app.get('/refused', () => {
      throw new BankIdError('request_invalid', 'endUserIp: not an IP address');
    });
    app.get('/down', () => {
      throw new BankIdError('network_error', 'BankID auth failed');
    });
    expect([await codeOf(app.request('/refused')), await codeOf(app.request('/down'))]).toEqual([
      [400, 'bankid_request_invalid'],
      [503, 'bankid_unavailable'],
    ]);
  });
});

describe('request logs (issue 15 item 7)', () => {
  it('no log line holds the secret of a link whose # arrived percent-encoded', async () => {
    const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
    const link = sealed.links[0]!;
    const secret = link.slice(link.indexOf('#') + 1);
    const path = new URL(link).pathname;
    for (const target of [`${path}%23${secret}`, `${path}%2523${secret}`, `/api/v1/links/${sealed.request.recipients[0]!.linkId}%23${secret}`, `/nowhere/${secret}`]) {
      await context.server.app.request(target);
    }
    const logs = context.server.logs.join('');
    expect(logs).toContain('"route":"/o/:linkId"');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(secret.slice(0, 16));
    expect(logs).not.toContain(sealed.request.recipients[0]!.linkId);
  });
});

describe('the browser-binding cookie (issue 15 item 9)', () => {
  async function cookieOf(server: TestServer) {
    const sealed = await server.send({ recipients: [{ readers: '*' }] });
    const recipient = new Recipient(server.app, sealed.links[0]!);
    const info = (await (await recipient.request(`/api/v1/links/${recipient.linkId}`)).json()) as { messageId: string };
    const started = await server.app.request(`http://127.0.0.1:8787/api/v1/links/${recipient.linkId}/verifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authKey: recipient.authKeyFor(info.messageId) }),
    });
    expect(started.status).toBe(201);
    return started.headers.get('set-cookie') ?? '';
  }

  it('is Secure when the public origin is https, though the server itself sees http', async () => {
    expect(await cookieOf(await serverWith({ publicOrigin: 'https://sigill.example.se' }))).toMatch(/;\s*Secure/i);
    expect(await cookieOf(context.server)).not.toMatch(/;\s*Secure/i);
  });
});

describe('payload indexes (issue 15 item 12)', () => {
  it('only canonical decimal: 00, 0x1, %20, 1e0, +1 and -0 are refused, not coerced', async () => {
    const sealed = await context.server.send({ recipients: [{ readers: '*' }] });
    const { messageId } = sealed.request;
    const linkId = sealed.request.recipients[0]!.linkId;
    for (const index of ['00', '0x0', '0x1', '%20', '%200', '1e0', '+0', '-0', '0.0', '101']) {
      const upload = context.server.app.request(`/api/v1/messages/${messageId}/payloads/${index}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${context.server.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(16),
      });
      expect([index, ...(await codeOf(upload))]).toEqual([index, 400, 'invalid_request']);
      const fetched = context.server.app.request(`/api/v1/links/${linkId}/payloads/${index}`, { headers: { authorization: `Bearer ${encodeBase64url(new Uint8Array(16))}` } });
      expect([index, ...(await codeOf(fetched))]).toEqual([index, 400, 'invalid_request']);
    }
    // The canonical form still reaches the route (a wrong token here, an existing payload there).
    expect(await codeOf(context.server.app.request(`/api/v1/links/${linkId}/payloads/0`, { headers: { authorization: `Bearer ${encodeBase64url(new Uint8Array(16))}` } }))).toEqual([401, 'release_token_invalid']);
  });
});

describe('the public origin (issue 10)', () => {
  it('is reported to senders (GET /senders/me, origin), so that a client on another API URL builds links on it', async () => {
    const server = await serverWith({ publicOrigin: 'https://sigill.example.se' });
    expect(await (await server.api('GET', '/api/v1/senders/me')).json()).toMatchObject({ name: 'Bostadsbolaget', origin: 'https://sigill.example.se' });
    expect(loadConfig({ SIGILL_PUBLIC_ORIGIN: 'https://sigill.example.se/', SIGILL_FORCE_SIMULATOR: '1' }).publicOrigin).toBe('https://sigill.example.se');
  });
});
