import type { Config } from '../config.js';
import { create46elksTransport } from './46elks.js';
import { noSmsTransport, type SmsTransport } from './sms.js';
import { createTwilioTransport } from './twilio.js';

/**
 * The configured real provider, or `none`. The development outbox is made by the primary
 * process (one outbox for all workers; server/process/), never here.
 */
export function smsTransportOf(config: Pick<Config, 'smsTransport' | 'sms'>, fetchImpl?: typeof fetch): SmsTransport {
  const { sms } = config;
  const endpoint = { apiUrl: sms.apiUrl, timeoutMs: sms.timeoutMs, ...(fetchImpl ? { fetch: fetchImpl } : {}) };
  if (config.smsTransport === '46elks') return create46elksTransport({ ...endpoint, username: sms.elksUsername, password: sms.elksPassword, from: sms.from });
  if (config.smsTransport === 'twilio') return createTwilioTransport({ ...endpoint, accountSid: sms.twilioAccountSid, authToken: sms.twilioAuthToken, from: sms.from });
  return noSmsTransport;
}
