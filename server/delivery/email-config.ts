/**
 * The email settings (README, configuration): the SMTP relay, the From address, DKIM,
 * the relay's CA and where bounces arrive. Parsed here so server/config.ts stays one
 * list; errors are ConfigErrors.
 *
 * SIGILL_SMTP_URL:
 * - `smtp://user:pass@relay.example:587`: STARTTLS is required (plaintext is refused);
 * - `smtps://user:pass@relay.example:465`: TLS from the first byte;
 * - `smtp://127.0.0.1:25?tls=off` (or `?requireTLS=false`): a local relay without TLS,
 *   allowed only on a loopback host;
 * - `none`: no email at all (also no development outbox).
 */
export interface EmailSettings {
  /** SIGILL_SMTP_URL; empty: the server sends no email (on the development defaults: to the development outbox). */
  smtpUrl: string;
  /** False with SIGILL_SMTP_URL=none: no email at all, not even the development outbox. */
  developmentOutbox: boolean;
  /** SIGILL_MAIL_FROM: the From address (the sender's name is its display name). */
  from: string;
  /** SIGILL_BOUNCE_DOMAIN: the VERP envelope sender's domain; default the domain of SIGILL_MAIL_FROM. */
  bounceDomain: string;
  /** SIGILL_BOUNCE_SMTP_PORT: start the inbound SMTP listener for bounces on this port (0: none). */
  bounceSmtpPort: number | null;
  /** SIGILL_BOUNCE_SMTP_HOST: where it listens (default 127.0.0.1: put the MTA that receives the bounce domain in front). */
  bounceSmtpHost: string;
  /** SIGILL_DKIM_DOMAIN, SIGILL_DKIM_SELECTOR, SIGILL_DKIM_KEY_FILE (PEM): all three or none. */
  dkim: { domain: string; selector: string; keyFile: string } | null;
  /** SIGILL_SMTP_CA: a PEM file with the CA the relay's certificate chains to (default the system's). */
  caFile: string;
}

type Env = Record<string, string | undefined>;

const addressPattern = /^[^\s@<>()",;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** A plain address (`local@domain.tld`), without a display name. */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && addressPattern.test(text);
}

export function emailSettingsOf(env: Env, configError: (message: string) => Error): EmailSettings {
  const none = env.SIGILL_SMTP_URL === 'none';
  const smtpUrl = none ? '' : (env.SIGILL_SMTP_URL ?? '');
  const from = env.SIGILL_MAIL_FROM ?? '';
  if (smtpUrl) {
    smtpOptionsOf(smtpUrl, configError);
    if (!isEmailAddress(from)) throw configError('SIGILL_SMTP_URL needs SIGILL_MAIL_FROM, an address such as no-reply@sigill.example.se');
  } else if (from && !isEmailAddress(from)) {
    throw configError('SIGILL_MAIL_FROM must be an address such as no-reply@sigill.example.se');
  }
  const bounceDomain = env.SIGILL_BOUNCE_DOMAIN || from.split('@')[1] || '';
  const portText = env.SIGILL_BOUNCE_SMTP_PORT ?? '';
  const port = portText === '' ? null : Number(portText);
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65535)) throw configError('SIGILL_BOUNCE_SMTP_PORT must be a port number');
  const dkimParts = [env.SIGILL_DKIM_DOMAIN, env.SIGILL_DKIM_SELECTOR, env.SIGILL_DKIM_KEY_FILE].filter(Boolean).length;
  if (dkimParts !== 0 && dkimParts !== 3) throw configError('DKIM needs all of SIGILL_DKIM_DOMAIN, SIGILL_DKIM_SELECTOR and SIGILL_DKIM_KEY_FILE');
  return {
    smtpUrl,
    developmentOutbox: !none,
    from,
    bounceDomain,
    bounceSmtpPort: port,
    bounceSmtpHost: env.SIGILL_BOUNCE_SMTP_HOST || '127.0.0.1',
    dkim: dkimParts === 3 ? { domain: env.SIGILL_DKIM_DOMAIN!, selector: env.SIGILL_DKIM_SELECTOR!, keyFile: env.SIGILL_DKIM_KEY_FILE! } : null,
    caFile: env.SIGILL_SMTP_CA ?? '',
  };
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (smtps). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS: boolean;
  /** Never try STARTTLS (`tls=off` on a loopback relay). */
  ignoreTLS: boolean;
  auth?: { user: string; pass: string };
}

/** The nodemailer connection options an SMTP URL stands for. */
export function smtpOptionsOf(text: string, configError: (message: string) => Error): SmtpOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError('SIGILL_SMTP_URL must be a URL such as smtp://user:pass@relay.example:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw configError('SIGILL_SMTP_URL must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  const tlsOff = url.searchParams.get('tls') === 'off' || url.searchParams.get('requireTLS') === 'false';
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (tlsOff && (secure || !loopback)) throw configError('SIGILL_SMTP_URL: tls=off is only for a plain smtp:// relay on a loopback host');
  const auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && !tlsOff,
    ignoreTLS: tlsOff,
    ...(auth ? { auth } : {}),
  };
}
