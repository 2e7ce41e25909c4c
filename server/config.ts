/**
 * The server's one configuration module. Every setting has a default (the embedded
 * defaults: a libsql file, the BankID simulator in-process, the local outbox for SMS)
 * and an environment variable; README.md lists them all.
 */
import { availableParallelism } from 'node:os';
import { BlobConfigError, parseBlobUrl, type S3BlobConfig } from './store/blob-config.js';
import { emailSettingsOf, type EmailSettings } from './delivery/email-config.js';
import { gatewaySettingsOf, type GatewaySettings } from './gateway/settings.js';
import { smsSettingsOf, type SmsProviderName, type SmsSettings } from './delivery/sms-config.js';

export type BankIdMode = 'simulator' | 'test' | 'production';

export interface Config {
  /** PORT: where the server listens. */
  port: number;
  /** HOST */
  host: string;
  /** SIGILL_DATA_DIR: the database, payload blobs and the simulator's certificates. */
  dataDir: string;
  /** SIGILL_DATABASE_URL: postgres://… for PostgreSQL (scale-out); empty: the libsql file in the data folder. */
  databaseUrl: string;
  /** SIGILL_BLOB_URL: s3://bucket?endpoint=…&region=… (credentials: SIGILL_S3_ACCESS_KEY_ID/SECRET_ACCESS_KEY); null: the blob folder in the data folder. */
  blobStore: S3BlobConfig | null;
  /**
   * SIGILL_PUBLIC_ORIGIN: the origin links point at (the recipient page), reported to
   * senders by GET /api/v1/senders/me. Default `http://localhost:<the port listened on>`.
   */
  publicOrigin: string;
  /** Whether publicOrigin was configured (otherwise it follows the port listened on). */
  publicOriginSet: boolean;
  /** SIGILL_MAX_MESSAGE_BYTES: all payloads of one message together (ciphertext). */
  maxMessageBytes: number;
  /** SIGILL_DEFAULT_LIFETIME_DAYS, SIGILL_MIN_LIFETIME_MINUTES, SIGILL_MAX_LIFETIME_DAYS */
  defaultLifetimeMs: number;
  minLifetimeMs: number;
  maxLifetimeMs: number;
  /** SIGILL_RELEASE_TOKEN_SECONDS: how long a release token lets the browser fetch payloads. */
  releaseTokenMs: number;
  /** SIGILL_VERIFICATION_SECONDS: how long a verification id is good for. */
  verificationMs: number;
  /** SIGILL_COLLECT_INTERVAL_MS: BankID collect at most this often per order. */
  collectIntervalMs: number;
  /** SIGILL_RATE_WINDOW_SECONDS and the limits within one window. */
  rateWindowMs: number;
  /** SIGILL_RATE_STARTS_PER_LINK */
  startsPerLink: number;
  /** SIGILL_RATE_STARTS_PER_IP */
  startsPerIp: number;
  /** SIGILL_RATE_KEY_FAILURES: failed authKey checks per link and per IP. */
  authKeyFailures: number;
  /**
   * SIGILL_RATE_LIMIT_SECRET: the secret the per-window keys of the rate-limit counters
   * are derived from (at least 32 characters; the same on every machine of one database).
   * Empty: a random one in `rate-limit.key` in the data folder, made on first use.
   */
  rateLimitSecret: string;
  /**
   * SIGILL_STALL_TIMEOUT_SECONDS: a connection that moves no byte either way for this
   * long is closed (a reader that stops reading releases its payload file).
   */
  stallTimeoutMs: number;
  /** SIGILL_QUOTA_MESSAGES_PER_DAY, SIGILL_QUOTA_SMS_PER_DAY, SIGILL_QUOTA_EMAILS_PER_DAY: per sender per UTC day. */
  quotaMessagesPerDay: number;
  quotaSmsPerDay: number;
  quotaEmailsPerDay: number;
  /** SIGILL_PURGE_INTERVAL_SECONDS: how often expired and revoked payloads are purged. */
  purgeIntervalMs: number;
  /** SIGILL_BANKID: simulator (default), test or production. */
  bankId: BankIdMode;
  /** SIGILL_BANKID_URL: another RP API base URL (a simulator in another process); needs the three below. */
  bankIdUrl: string;
  /** SIGILL_BANKID_PFX, SIGILL_BANKID_PASSPHRASE, SIGILL_BANKID_CA (paths; test and production). */
  bankIdPfxPath: string;
  bankIdPassphrase: string;
  bankIdCaPath: string;
  /**
   * SIGILL_SMS_PROVIDER (older name SIGILL_SMS_TRANSPORT): `outbox` (the development
   * outbox at /dev/outbox; only with the BankID simulator, and its default), `46elks`,
   * `twilio`, or `none` (no SMS relay; the default otherwise).
   */
  smsTransport: SmsProviderName;
  /** The provider's URL, credentials and sender (server/delivery/sms-config.ts). */
  sms: SmsSettings;
  /** SIGILL_SMTP_URL, SIGILL_MAIL_FROM, DKIM, the relay's CA and the bounce listener (server/delivery/email-config.ts). */
  email: EmailSettings;
  /** SIGILL_GATEWAY, SIGILL_GATEWAY_KEY: the mail gateway's routes (server/gateway/settings.ts). */
  gateway: GatewaySettings;
  /**
   * SIGILL_WEBHOOK_KEY: base64url of 32 bytes that seals the webhook endpoints' signing
   * secrets in the database; empty: a key file (`webhook.key`) made once in the data folder.
   */
  webhookKey: string;
  /**
   * SIGILL_ACCOUNT_KEY: base64url of 32 bytes, the HMAC key users' personal identity
   * numbers are stored under (never in the database); empty: a key file (`account.key`)
   * made once in the data folder. Required with SIGILL_DATABASE_URL.
   */
  accountKey: string;
  /** SIGILL_SESSION_IDLE_MINUTES, SIGILL_SESSION_MAX_HOURS: a toolbox session ends after this long unused, and this long after sign-in. */
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** SIGILL_WEBHOOKS_ALLOW_LOOPBACK: webhook endpoints on loopback (and plain http there); on by default only on the development defaults. */
  webhooksAllowLoopback: boolean;
  /** SIGILL_WEBHOOKS_POLL_MS: how often each process looks for due webhook deliveries. */
  webhooksPollMs: number;
  /**
   * SIGILL_FORCE_SIMULATOR: start the BankID simulator even with NODE_ENV=production or an
   * https public origin on a host other than loopback (refused otherwise).
   */
  forceSimulator: boolean;
  /**
   * SIGILL_TRUST_PROXY: how many proxies in front of the server append to X-Forwarded-For
   * (`false` = 0, `true` = 1, or a number). The client IP is the entry the outermost
   * trusted proxy appended, that many from the right; 0 takes the socket's address.
   */
  proxyHops: number;
  /** SIGILL_WORKERS: server processes; default one per core. */
  workers: number;
  /** BANKID_SIMULATOR_TEST_APP_PORT: the in-process simulator's test app; default PORT + 1 (0 when PORT is 0). */
  simulatorTestAppPort: number;
  /** SIGILL_LOG_LEVEL */
  logLevel: string;
  /** SIGILL_DEMO_SENDER: create a demo sender on the first start (default on with the simulator). */
  demoSender: boolean;
}

type Env = Record<string, string | undefined>;

function blobStoreOf(url: string, env: Env): S3BlobConfig {
  try {
    return parseBlobUrl(url, env);
  } catch (error) {
    throw error instanceof BlobConfigError ? new ConfigError(error.message) : error;
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function number(env: Env, name: string, fallback: number, min = 0): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new ConfigError(`${name} must be a number of at least ${min}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name]?.toLowerCase();
  if (text === undefined || text === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false`);
}

function proxyHops(env: Env): number {
  const text = env.SIGILL_TRUST_PROXY?.toLowerCase();
  if (text !== undefined && /^\d{1,2}$/.test(text)) return Number(text);
  return flag(env, 'SIGILL_TRUST_PROXY', false) ? 1 : 0;
}

/**
 * The origin links point at when SIGILL_PUBLIC_ORIGIN is not set: the host listened on
 * (`localhost` for loopback and any-address, so the printed URL and links agree) and the port.
 */
export function defaultPublicOrigin(host: string, port: number): string {
  const name = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * Whether the server runs on the development defaults: the BankID simulator, which
 * approves any test identity. Only then may the SMS outbox and the demo sender exist.
 */
export function isDevelopment(config: Pick<Config, 'bankId'>): boolean {
  return config.bankId === 'simulator';
}

/** Whether `origin` is https on a host other than loopback, i.e. meant for the world. */
function isPublicHttps(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ConfigError('SIGILL_PUBLIC_ORIGIN must be an origin such as https://sigill.example.se');
  }
  const loopback = url.hostname === 'localhost' || url.hostname.endsWith('.localhost') || /^127\./.test(url.hostname) || url.hostname === '[::1]';
  return url.protocol === 'https:' && !loopback;
}

export function loadConfig(env: Env = process.env): Config {
  const port = number(env, 'PORT', 8787, 0);
  const bankId = (env.SIGILL_BANKID ?? 'simulator') as BankIdMode;
  if (!['simulator', 'test', 'production'].includes(bankId)) {
    throw new ConfigError('SIGILL_BANKID must be simulator, test or production');
  }
  const development = isDevelopment({ bankId });
  const { smsTransport, sms } = smsSettingsOf(env, development, (message) => new ConfigError(message));
  const host = env.HOST ?? '127.0.0.1';
  const publicOrigin = env.SIGILL_PUBLIC_ORIGIN ? env.SIGILL_PUBLIC_ORIGIN.replace(/\/+$/, '') : defaultPublicOrigin(host, port);
  const forceSimulator = flag(env, 'SIGILL_FORCE_SIMULATOR', false);
  if (development && !forceSimulator && (env.NODE_ENV === 'production' || isPublicHttps(publicOrigin))) {
    throw new ConfigError(
      'refusing to run the BankID simulator (it approves any identity) with NODE_ENV=production or a public https SIGILL_PUBLIC_ORIGIN; ' +
        'configure SIGILL_BANKID=test or production, or set SIGILL_FORCE_SIMULATOR=true',
    );
  }
  const day = 86_400_000;
  const dataDir = env.SIGILL_DATA_DIR ?? './data';
  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl: env.SIGILL_DATABASE_URL ?? '',
    blobStore: env.SIGILL_BLOB_URL ? blobStoreOf(env.SIGILL_BLOB_URL, env) : null,
    publicOrigin,
    publicOriginSet: Boolean(env.SIGILL_PUBLIC_ORIGIN),
    maxMessageBytes: number(env, 'SIGILL_MAX_MESSAGE_BYTES', 100 * 1024 * 1024, 1),
    defaultLifetimeMs: number(env, 'SIGILL_DEFAULT_LIFETIME_DAYS', 30, 0) * day,
    minLifetimeMs: number(env, 'SIGILL_MIN_LIFETIME_MINUTES', 10, 1) * 60_000,
    maxLifetimeMs: number(env, 'SIGILL_MAX_LIFETIME_DAYS', 365, 0) * day,
    releaseTokenMs: number(env, 'SIGILL_RELEASE_TOKEN_SECONDS', 600, 1) * 1000,
    verificationMs: number(env, 'SIGILL_VERIFICATION_SECONDS', 600, 1) * 1000,
    collectIntervalMs: number(env, 'SIGILL_COLLECT_INTERVAL_MS', 2000, 0),
    rateWindowMs: number(env, 'SIGILL_RATE_WINDOW_SECONDS', 600, 1) * 1000,
    startsPerLink: number(env, 'SIGILL_RATE_STARTS_PER_LINK', 10, 1),
    startsPerIp: number(env, 'SIGILL_RATE_STARTS_PER_IP', 30, 1),
    authKeyFailures: number(env, 'SIGILL_RATE_KEY_FAILURES', 5, 1),
    rateLimitSecret: env.SIGILL_RATE_LIMIT_SECRET ?? '',
    stallTimeoutMs: number(env, 'SIGILL_STALL_TIMEOUT_SECONDS', 60, 1) * 1000,
    quotaMessagesPerDay: number(env, 'SIGILL_QUOTA_MESSAGES_PER_DAY', 5000, 1),
    quotaSmsPerDay: number(env, 'SIGILL_QUOTA_SMS_PER_DAY', 1000, 1),
    quotaEmailsPerDay: number(env, 'SIGILL_QUOTA_EMAILS_PER_DAY', 1000, 1),
    purgeIntervalMs: number(env, 'SIGILL_PURGE_INTERVAL_SECONDS', 3600, 1) * 1000,
    bankId,
    bankIdUrl: env.SIGILL_BANKID_URL ?? '',
    bankIdPfxPath: env.SIGILL_BANKID_PFX ?? '',
    bankIdPassphrase: env.SIGILL_BANKID_PASSPHRASE ?? '',
    bankIdCaPath: env.SIGILL_BANKID_CA ?? '',
    smsTransport,
    sms,
    email: emailSettingsOf(env, (message) => new ConfigError(message)),
    gateway: gatewaySettingsOf(flag(env, 'SIGILL_GATEWAY', false), env.SIGILL_GATEWAY_KEY ?? '', dataDir, development, (message) => new ConfigError(message)),
    webhookKey: env.SIGILL_WEBHOOK_KEY ?? '',
    accountKey: env.SIGILL_ACCOUNT_KEY ?? '',
    sessionIdleMs: number(env, 'SIGILL_SESSION_IDLE_MINUTES', 30, 1) * 60_000,
    sessionMaxMs: number(env, 'SIGILL_SESSION_MAX_HOURS', 12, 0.1) * 3_600_000,
    webhooksAllowLoopback: flag(env, 'SIGILL_WEBHOOKS_ALLOW_LOOPBACK', development),
    webhooksPollMs: number(env, 'SIGILL_WEBHOOKS_POLL_MS', 1000, 10),
    forceSimulator,
    proxyHops: proxyHops(env),
    workers: number(env, 'SIGILL_WORKERS', availableParallelism(), 1),
    simulatorTestAppPort: number(env, 'BANKID_SIMULATOR_TEST_APP_PORT', port === 0 ? 0 : port + 1, 0),
    logLevel: env.SIGILL_LOG_LEVEL ?? 'info',
    demoSender: flag(env, 'SIGILL_DEMO_SENDER', development),
  };
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) throw new ConfigError('SIGILL_DATABASE_URL must be a postgres:// URL');
  // Several processes on one PostgreSQL may live on several hosts: each must key the rate
  // limits and seal the webhook secrets alike, so a key file per data folder will not do.
  if (config.databaseUrl && !config.rateLimitSecret) throw new ConfigError('SIGILL_RATE_LIMIT_SECRET is needed with SIGILL_DATABASE_URL (the same value on every process)');
  if (config.databaseUrl && !config.webhookKey) throw new ConfigError('SIGILL_WEBHOOK_KEY is needed with SIGILL_DATABASE_URL (the same value on every process)');
  if (config.databaseUrl && !config.accountKey) throw new ConfigError('SIGILL_ACCOUNT_KEY is needed with SIGILL_DATABASE_URL (the same value on every process)');
  if (config.accountKey && Buffer.from(config.accountKey, 'base64url').length !== 32) throw new ConfigError('SIGILL_ACCOUNT_KEY must be base64url of 32 bytes');
  if (config.rateLimitSecret && config.rateLimitSecret.length < 32) throw new ConfigError('SIGILL_RATE_LIMIT_SECRET must be at least 32 characters');
  if (config.minLifetimeMs > config.defaultLifetimeMs || config.defaultLifetimeMs > config.maxLifetimeMs) {
    throw new ConfigError('lifetimes must satisfy minimum ≤ default ≤ maximum');
  }
  if (config.demoSender && !development) throw new ConfigError('SIGILL_DEMO_SENDER works only with the BankID simulator');
  if (config.webhookKey && Buffer.from(config.webhookKey, 'base64url').length !== 32) throw new ConfigError('SIGILL_WEBHOOK_KEY must be base64url of 32 bytes');
  if (!Number.isInteger(config.workers)) throw new ConfigError('SIGILL_WORKERS must be a whole number of at least 1');
  if ((bankId !== 'simulator' || config.bankIdUrl) && (!config.bankIdPfxPath || !config.bankIdCaPath)) {
    throw new ConfigError('SIGILL_BANKID_PFX and SIGILL_BANKID_CA are needed for BankID test, production or SIGILL_BANKID_URL');
  }
  return config;
}
