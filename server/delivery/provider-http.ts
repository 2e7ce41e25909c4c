import { SmsProviderError } from './sms.js';

/** What a provider client needs to reach its API (tests point `apiUrl` at a fake). */
export interface ProviderEndpoint {
  /** The provider's base URL, no trailing slash. */
  apiUrl: string;
  /** Per attempt. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface ProviderAnswer {
  status: number;
  body: string;
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * POSTs a form with Basic auth and reads the whole answer within the timeout. No answer,
 * a timeout, 5xx and 429 are transient SmsProviderErrors; other non-2xx answers are
 * returned for the provider client to map. Error messages never carry the form.
 */
export async function postForm(endpoint: ProviderEndpoint, path: string, form: Record<string, string>, authorization: string): Promise<ProviderAnswer> {
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await (endpoint.fetch ?? fetch)(endpoint.apiUrl + path, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal,
      redirect: 'manual',
    });
    body = await response.text();
  } catch (error) {
    if (signal.aborted) throw new SmsProviderError('transient', 'provider_timeout', null, `the SMS provider did not answer within ${endpoint.timeoutMs} ms`);
    throw new SmsProviderError('transient', 'provider_unavailable', null, `the SMS provider could not be reached (${(error as { cause?: { code?: string } }).cause?.code ?? 'network error'})`);
  }
  if (response.status >= 500 || response.status === 429) {
    throw new SmsProviderError('transient', 'provider_unavailable', String(response.status), `the SMS provider answered ${response.status}`);
  }
  return { status: response.status, body };
}

/** A 2xx whose body is not the JSON object expected. */
export const invalidAnswer = (provider: string) =>
  new SmsProviderError('invalid_answer', 'provider_answer_invalid', null, `${provider} answered 2xx with a body that is not its documented JSON`);

export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
