import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The gateway process's settings, from the environment (README: Configuration).
 * Off by default; on the embedded development defaults it listens on loopback and
 * reads the key the server made in the data folder (`gateway.key`).
 */
export interface GatewayProcessSettings {
  /** SIGILL_GATEWAY_PORT (default 2525) and SIGILL_GATEWAY_HOST (default 127.0.0.1). */
  port: number;
  host: string;
  /** SIGILL_GATEWAY_SMS_DOMAIN, SIGILL_GATEWAY_MAIL_DOMAIN: the domains of the gateway's addresses. */
  smsDomain: string;
  mailDomain: string;
  /** SIGILL_GATEWAY_SERVER: the Sigill server (default http://127.0.0.1:$PORT). */
  serverUrl: string;
  /** SIGILL_GATEWAY_KEY, or the data folder's gateway.key. */
  key: string;
  /** SIGILL_GATEWAY_TLS_KEY / SIGILL_GATEWAY_TLS_CERT: PEM files for STARTTLS; empty: a self-signed pair made at start (development). */
  tlsKey: string;
  tlsCert: string;
  /** SIGILL_GATEWAY_LMTP=on: speak LMTP (behind postfix on loopback) instead of SMTP. */
  lmtp: boolean;
  /** SIGILL_GATEWAY_MAX_BYTES: the largest mail taken (default 25 MiB). */
  maxBytes: number;
  /** SIGILL_GATEWAY_HOSTNAME: the name it greets with and writes in Authentication-Results. */
  hostname: string;
  /** SIGILL_GATEWAY_LANGUAGE: sv or en, of the SMS and email texts and the confirmation (default sv). */
  language: 'sv' | 'en';
}

export class GatewaySettingsError extends Error {
  override readonly name = 'GatewaySettingsError';
}

export function gatewayProcessSettings(env: Record<string, string | undefined> = process.env): GatewayProcessSettings {
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 0) throw new GatewaySettingsError(`${name} must be a whole number`);
    return value;
  };
  const development = (env.SIGILL_BANKID ?? 'simulator') === 'simulator';
  const dataDir = env.SIGILL_DATA_DIR ?? './data';
  let key = env.SIGILL_GATEWAY_KEY ?? '';
  if (!key && development) {
    try {
      key = readFileSync(join(dataDir, 'gateway.key'), 'utf8').trim();
    } catch {
      throw new GatewaySettingsError(`no gateway key: start the server with SIGILL_GATEWAY=on first (it makes ${join(dataDir, 'gateway.key')}), or set SIGILL_GATEWAY_KEY`);
    }
  }
  if (key.length < 32) throw new GatewaySettingsError('SIGILL_GATEWAY_KEY is needed (at least 32 characters, the same value as the server’s)');
  const smsDomain = env.SIGILL_GATEWAY_SMS_DOMAIN ?? (development ? 'sms.sigill.localhost' : '');
  const mailDomain = env.SIGILL_GATEWAY_MAIL_DOMAIN ?? (development ? 'mail.sigill.localhost' : '');
  if (!smsDomain || !mailDomain) throw new GatewaySettingsError('SIGILL_GATEWAY_SMS_DOMAIN and SIGILL_GATEWAY_MAIL_DOMAIN are needed');
  const tlsKey = env.SIGILL_GATEWAY_TLS_KEY ?? '';
  const tlsCert = env.SIGILL_GATEWAY_TLS_CERT ?? '';
  if (Boolean(tlsKey) !== Boolean(tlsCert)) throw new GatewaySettingsError('SIGILL_GATEWAY_TLS_KEY and SIGILL_GATEWAY_TLS_CERT go together');
  if (!tlsKey && !development) throw new GatewaySettingsError('SIGILL_GATEWAY_TLS_KEY and SIGILL_GATEWAY_TLS_CERT are needed outside the development defaults');
  const language = env.SIGILL_GATEWAY_LANGUAGE ?? 'sv';
  if (language !== 'sv' && language !== 'en') throw new GatewaySettingsError('SIGILL_GATEWAY_LANGUAGE must be sv or en');
  return {
    port: number('SIGILL_GATEWAY_PORT', 2525),
    host: env.SIGILL_GATEWAY_HOST ?? '127.0.0.1',
    smsDomain,
    mailDomain,
    serverUrl: (env.SIGILL_GATEWAY_SERVER ?? `http://127.0.0.1:${env.PORT ?? 8787}`).replace(/\/+$/, ''),
    key,
    tlsKey,
    tlsCert,
    lmtp: ['on', 'true', '1'].includes((env.SIGILL_GATEWAY_LMTP ?? '').toLowerCase()),
    maxBytes: number('SIGILL_GATEWAY_MAX_BYTES', 25 * 1024 * 1024),
    hostname: env.SIGILL_GATEWAY_HOSTNAME ?? smsDomain,
    language,
  };
}
