import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { isSmsSender } from '../../../server/delivery/sms-config.js';

const real = { SIGILL_BANKID: 'production', SIGILL_BANKID_PFX: '/rp.p12', SIGILL_BANKID_CA: '/ca.pem' };
const elks = { SIGILL_SMS_PROVIDER: '46elks', SIGILL_46ELKS_USERNAME: 'u1', SIGILL_46ELKS_PASSWORD: 'p1' };
const twilio = { SIGILL_SMS_PROVIDER: 'twilio', SIGILL_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, SIGILL_TWILIO_AUTH_TOKEN: 't1' };

describe('SMS configuration', () => {
  it('has the outbox only on the development defaults, and never beside a real provider', () => {
    expect(loadConfig({}).smsTransport).toBe('outbox');
    expect(loadConfig(real).smsTransport).toBe('none');
    expect(() => loadConfig({ ...real, SIGILL_SMS_PROVIDER: 'outbox' })).toThrow(ConfigError);
    expect(loadConfig(elks).smsTransport).toBe('46elks');
    expect(loadConfig({ ...real, ...twilio }).smsTransport).toBe('twilio');
  });

  it('reads SIGILL_SMS_TRANSPORT as the older name, and refuses the two disagreeing', () => {
    expect(loadConfig({ ...real, SIGILL_SMS_TRANSPORT: 'none' }).smsTransport).toBe('none');
    expect(loadConfig({ ...elks, SIGILL_SMS_PROVIDER: '', SIGILL_SMS_TRANSPORT: '46elks' }).smsTransport).toBe('46elks');
    expect(() => loadConfig({ ...elks, SIGILL_SMS_TRANSPORT: 'outbox' })).toThrow(/disagree/);
    expect(() => loadConfig({ SIGILL_SMS_PROVIDER: 'sinch' })).toThrow(ConfigError);
  });

  it('defaults the API URL per provider and takes another, https or loopback http only', () => {
    expect(loadConfig(elks).sms.apiUrl).toBe('https://api.46elks.com');
    expect(loadConfig(twilio).sms.apiUrl).toBe('https://api.twilio.com');
    expect(loadConfig({ ...elks, SIGILL_SMS_API_URL: 'http://127.0.0.1:9999/' }).sms.apiUrl).toBe('http://127.0.0.1:9999');
    expect(() => loadConfig({ ...elks, SIGILL_SMS_API_URL: 'http://sms.example.com' })).toThrow(/https/);
    expect(() => loadConfig({ ...elks, SIGILL_SMS_API_URL: 'not a url' })).toThrow(ConfigError);
  });

  it('needs the provider’s credentials', () => {
    expect(() => loadConfig({ ...elks, SIGILL_46ELKS_PASSWORD: '' })).toThrow(/SIGILL_46ELKS_PASSWORD/);
    expect(() => loadConfig({ ...twilio, SIGILL_TWILIO_ACCOUNT_SID: 'AC123' })).toThrow(/SIGILL_TWILIO_ACCOUNT_SID/);
    expect(() => loadConfig({ ...twilio, SIGILL_TWILIO_AUTH_TOKEN: '' })).toThrow(/SIGILL_TWILIO_AUTH_TOKEN/);
  });

  it('takes an alphanumeric sender of at most 11 characters or a number as SIGILL_SMS_FROM', () => {
    expect(['Sigill', 'Vardcentral', 'Klinik 24', '+46701234567'].map(isSmsSender)).toEqual([true, true, true, true]);
    expect(['Vardcentralen', 'Vårdcentral', '12345', '0701234567', '', ' Sigill', 'Sig-ill'].map(isSmsSender)).toEqual([false, false, false, false, false, false, false]);
    expect(loadConfig({ ...elks, SIGILL_SMS_FROM: '+46701234567' }).sms.from).toBe('+46701234567');
    expect(() => loadConfig({ ...elks, SIGILL_SMS_FROM: 'Vardcentralen' })).toThrow(/SIGILL_SMS_FROM/);
  });
});
