import { basicAuth, invalidAnswer, parseJsonObject, postForm, type ProviderEndpoint } from './provider-http.js';
import { SmsProviderError, type SmsTransport } from './sms.js';

export interface ElksSettings extends ProviderEndpoint {
  username: string;
  password: string;
  from: string;
}

/**
 * 46elks: `POST {apiUrl}/a1/sms`, form fields from, to, message, `dontlog=message` (46elks
 * keeps no copy of the text) and `whendelivered` (the report URL), Basic auth with the API
 * username and password. Answers JSON `{"id","status":"created","parts",…}`; errors are
 * plain text with a 4xx status (only the status is kept: the text may echo the number).
 */
export function create46elksTransport(settings: ElksSettings): SmsTransport {
  const authorization = basicAuth(settings.username, settings.password);
  return {
    name: '46elks',
    async send(message) {
      const form: Record<string, string> = { from: settings.from, to: message.to, message: message.text, dontlog: 'message' };
      if (message.reportUrl) form.whendelivered = message.reportUrl;
      const answer = await postForm(settings, '/a1/sms', form, authorization);
      if (answer.status < 200 || answer.status > 299) {
        throw new SmsProviderError('rejected', 'provider_rejected', String(answer.status), `46elks refused the SMS (${answer.status})`);
      }
      const json = parseJsonObject(answer.body);
      if (!json || typeof json.id !== 'string' || json.id === '' || json.status !== 'created') throw invalidAnswer('46elks');
      return { providerId: json.id, parts: typeof json.parts === 'number' ? json.parts : null };
    },
  };
}

/** 46elks report `status` → our state (`created` and unknown values move nothing). */
export function elksReportState(status: string): 'sent' | 'delivered' | 'failed' | undefined {
  return status === 'sent' || status === 'delivered' || status === 'failed' ? status : undefined;
}
