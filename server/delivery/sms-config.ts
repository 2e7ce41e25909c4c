/**
 * The SMS settings (README, configuration): which provider, its base URL, credentials
 * and sender. Parsed here so server/config.ts stays one list; errors are ConfigErrors.
 */
export type SmsProviderName = 'outbox' | 'none' | '46elks' | 'twilio';

export interface SmsSettings {
  /** SIGILL_SMS_API_URL: the provider's base URL (default its public API). */
  apiUrl: string;
  /** SIGILL_46ELKS_USERNAME / SIGILL_46ELKS_PASSWORD */
  elksUsername: string;
  elksPassword: string;
  /** SIGILL_TWILIO_ACCOUNT_SID / SIGILL_TWILIO_AUTH_TOKEN */
  twilioAccountSid: string;
  twilioAuthToken: string;
  /** SIGILL_SMS_FROM: an alphanumeric sender of at most 11 characters, or a number (E.164). */
  from: string;
  /** SIGILL_SMS_TIMEOUT_MS: per attempt; at most three attempts on transient errors. */
  timeoutMs: number;
}

const defaultApiUrl: Record<'46elks' | 'twilio', string> = { '46elks': 'https://api.46elks.com', twilio: 'https://api.twilio.com' };

type Env = Record<string, string | undefined>;

/** `Sigill`, `Vardcentral1` or `+46701234567`. */
export function isSmsSender(from: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(from) || (/^[A-Za-z0-9 ]{1,11}$/.test(from) && /[A-Za-z]/.test(from) && from.trim() === from);
}

export function smsSettingsOf(
  env: Env,
  development: boolean,
  configError: (message: string) => Error,
): { smsTransport: SmsProviderName; sms: SmsSettings } {
  const provider = env.SIGILL_SMS_PROVIDER || undefined;
  const transport = env.SIGILL_SMS_TRANSPORT || undefined; // the older name, still read
  if (provider && transport && provider !== transport) throw configError('SIGILL_SMS_PROVIDER and its older name SIGILL_SMS_TRANSPORT disagree; set only SIGILL_SMS_PROVIDER');
  const smsTransport = (provider ?? transport ?? (development ? 'outbox' : 'none')) as SmsProviderName;
  if (!['outbox', 'none', '46elks', 'twilio'].includes(smsTransport)) throw configError('SIGILL_SMS_PROVIDER must be outbox, 46elks, twilio or none');
  if (smsTransport === 'outbox' && !development) {
    throw configError('SIGILL_SMS_PROVIDER=outbox is the development outbox: it runs only with SIGILL_BANKID=simulator');
  }
  const sms: SmsSettings = {
    apiUrl: (env.SIGILL_SMS_API_URL || (smsTransport === '46elks' || smsTransport === 'twilio' ? defaultApiUrl[smsTransport] : '')).replace(/\/+$/, ''),
    elksUsername: env.SIGILL_46ELKS_USERNAME ?? '',
    elksPassword: env.SIGILL_46ELKS_PASSWORD ?? '',
    twilioAccountSid: env.SIGILL_TWILIO_ACCOUNT_SID ?? '',
    twilioAuthToken: env.SIGILL_TWILIO_AUTH_TOKEN ?? '',
    from: env.SIGILL_SMS_FROM ?? 'Sigill',
    timeoutMs: Number(env.SIGILL_SMS_TIMEOUT_MS ?? 10_000),
  };
  if (!Number.isInteger(sms.timeoutMs) || sms.timeoutMs < 1) throw configError('SIGILL_SMS_TIMEOUT_MS must be a whole number of at least 1');
  if (smsTransport === '46elks' || smsTransport === 'twilio') {
    if (!isSmsSender(sms.from)) throw configError('SIGILL_SMS_FROM must be letters and digits (at most 11, at least one letter) or a number such as +46701234567');
    let url: URL;
    try {
      url = new URL(sms.apiUrl);
    } catch {
      throw configError('SIGILL_SMS_API_URL must be a URL such as https://api.46elks.com');
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw configError('SIGILL_SMS_API_URL must be https (http only on loopback)');
  }
  if (smsTransport === '46elks' && (!sms.elksUsername || !sms.elksPassword)) throw configError('SIGILL_SMS_PROVIDER=46elks needs SIGILL_46ELKS_USERNAME and SIGILL_46ELKS_PASSWORD');
  if (smsTransport === 'twilio' && (!/^AC[0-9a-f]{32}$/i.test(sms.twilioAccountSid) || !sms.twilioAuthToken)) {
    throw configError('SIGILL_SMS_PROVIDER=twilio needs SIGILL_TWILIO_ACCOUNT_SID (AC and 32 hex digits) and SIGILL_TWILIO_AUTH_TOKEN');
  }
  return { smsTransport, sms };
}
