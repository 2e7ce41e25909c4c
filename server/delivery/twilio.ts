import { createHmac, timingSafeEqual } from 'node:crypto';
import { basicAuth, invalidAnswer, parseJsonObject, postForm, type ProviderEndpoint } from './provider-http.js';
import { SmsProviderError, type SmsTransport } from './sms.js';

export interface TwilioSettings extends ProviderEndpoint {
  accountSid: string;
  authToken: string;
  from: string;
}

/**
 * Twilio's Messages API: `POST {apiUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json`,
 * form fields To, From, Body, StatusCallback, Basic auth AccountSid:AuthToken. Answers
 * 201 JSON with `sid`, `status` (queued or accepted) and `num_segments` (a string);
 * errors are JSON `{"code","message","more_info","status"}`.
 */
export function createTwilioTransport(settings: TwilioSettings): SmsTransport {
  const authorization = basicAuth(settings.accountSid, settings.authToken);
  const path = `/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  return {
    name: 'twilio',
    async send(message) {
      const form: Record<string, string> = { To: message.to, From: settings.from, Body: message.text };
      if (message.reportUrl) form.StatusCallback = message.reportUrl;
      const answer = await postForm(settings, path, form, authorization);
      const json = parseJsonObject(answer.body);
      if (answer.status < 200 || answer.status > 299) {
        const code = json && typeof json.code === 'number' ? String(json.code) : String(answer.status);
        throw new SmsProviderError('rejected', 'provider_rejected', code, `Twilio refused the SMS (${answer.status}, code ${code})`);
      }
      if (!json || typeof json.sid !== 'string' || !/^(SM|MM)[0-9a-f]{32}$/i.test(json.sid)) throw invalidAnswer('Twilio');
      const segments = Number(json.num_segments);
      return { providerId: json.sid, parts: Number.isInteger(segments) && segments > 0 ? segments : null };
    },
  };
}

/** base64(HMAC-SHA1(authToken, url + each POST parameter's name and value, sorted by name)). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(authToken: string, url: string, params: Record<string, string>, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Twilio's MessageStatus → our state; queued, accepted, sending, scheduled move nothing. */
export function twilioReportState(status: string): 'sent' | 'delivered' | 'failed' | undefined {
  if (status === 'sent' || status === 'partially_delivered') return 'sent';
  if (status === 'delivered' || status === 'read') return 'delivered';
  if (status === 'undelivered' || status === 'failed' || status === 'canceled') return 'failed';
  return undefined;
}
