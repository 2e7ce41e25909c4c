import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';

/** The webhook settings: loopback only on the development defaults or when set; a key of exactly 32 bytes. */
const realBankId = { SIGILL_BANKID: 'test', SIGILL_BANKID_PFX: '/etc/sigill/rp.p12', SIGILL_BANKID_CA: '/etc/sigill/ca.pem', SIGILL_SMS_TRANSPORT: 'none' };

it('allows loopback webhook endpoints on the development defaults only, unless set', () => {
  expect(loadConfig({}).webhooksAllowLoopback).toBe(true);
  expect(loadConfig(realBankId).webhooksAllowLoopback).toBe(false);
  expect(loadConfig({ ...realBankId, SIGILL_WEBHOOKS_ALLOW_LOOPBACK: 'true' }).webhooksAllowLoopback).toBe(true);
  expect(loadConfig({ SIGILL_WEBHOOKS_ALLOW_LOOPBACK: 'false' }).webhooksAllowLoopback).toBe(false);
});

it('takes SIGILL_WEBHOOK_KEY only as base64url of 32 bytes', () => {
  expect(loadConfig({ SIGILL_WEBHOOK_KEY: Buffer.alloc(32, 1).toString('base64url') }).webhookKey).toHaveLength(43);
  expect(() => loadConfig({ SIGILL_WEBHOOK_KEY: Buffer.alloc(16, 1).toString('base64url') })).toThrow(ConfigError);
});
