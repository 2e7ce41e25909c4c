/**
 * The server's one configuration module. Every setting has a default (the embedded
 * defaults: a libsql file, the BankID simulator in-process, the local outbox for SMS)
 * and an environment variable; README.md lists them all.
 */
import { BlobConfigError, parseBlobUrl, type S3BlobConfig } from './store/blob-config.js';

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
  /** SIGILL_PUBLIC_ORIGIN: the origin links point at (the recipient page). */
  publicOrigin: string;
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
  /** SIGILL_SMS_TRANSPORT: outbox (default; a development outbox page at /dev/outbox). */
  smsTransport: 'outbox';
  /** SIGILL_TRUST_PROXY: take the client IP from X-Forwarded-For. */
  trustProxy: boolean;
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

export function loadConfig(env: Env = process.env): Config {
  const port = number(env, 'PORT', 8787, 0);
  const bankId = (env.SIGILL_BANKID ?? 'simulator') as BankIdMode;
  if (!['simulator', 'test', 'production'].includes(bankId)) {
    throw new ConfigError('SIGILL_BANKID must be simulator, test or production');
  }
  const smsTransport = env.SIGILL_SMS_TRANSPORT ?? 'outbox';
  if (smsTransport !== 'outbox') throw new ConfigError('SIGILL_SMS_TRANSPORT must be outbox (the only transport so far)');
  const day = 86_400_000;
  const config: Config = {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.SIGILL_DATA_DIR ?? './data',
    databaseUrl: env.SIGILL_DATABASE_URL ?? '',
    blobStore: env.SIGILL_BLOB_URL ? blobStoreOf(env.SIGILL_BLOB_URL, env) : null,
    publicOrigin: env.SIGILL_PUBLIC_ORIGIN ?? `http://localhost:${port}`,
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
    purgeIntervalMs: number(env, 'SIGILL_PURGE_INTERVAL_SECONDS', 3600, 1) * 1000,
    bankId,
    bankIdUrl: env.SIGILL_BANKID_URL ?? '',
    bankIdPfxPath: env.SIGILL_BANKID_PFX ?? '',
    bankIdPassphrase: env.SIGILL_BANKID_PASSPHRASE ?? '',
    bankIdCaPath: env.SIGILL_BANKID_CA ?? '',
    smsTransport,
    trustProxy: flag(env, 'SIGILL_TRUST_PROXY', false),
    logLevel: env.SIGILL_LOG_LEVEL ?? 'info',
    demoSender: flag(env, 'SIGILL_DEMO_SENDER', bankId === 'simulator'),
  };
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) throw new ConfigError('SIGILL_DATABASE_URL must be a postgres:// URL');
  if (config.minLifetimeMs > config.defaultLifetimeMs || config.defaultLifetimeMs > config.maxLifetimeMs) {
    throw new ConfigError('lifetimes must satisfy minimum ≤ default ≤ maximum');
  }
  if ((bankId !== 'simulator' || config.bankIdUrl) && (!config.bankIdPfxPath || !config.bankIdCaPath)) {
    throw new ConfigError('SIGILL_BANKID_PFX and SIGILL_BANKID_CA are needed for BankID test, production or SIGILL_BANKID_URL');
  }
  return config;
}
