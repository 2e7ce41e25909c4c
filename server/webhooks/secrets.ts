import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { configuredKey } from '../http/key-file.js';
import type { Config } from '../config.js';

/**
 * Endpoint signing secrets (Standard Webhooks `whsec_` + base64 of 24 random bytes).
 *
 * Why they are kept: HMAC signing needs the secret itself, and any server process may
 * deliver a job, so each must be able to read it; a hash would not do. How: the list of
 * an endpoint's secrets is sealed with AES-256-GCM (the endpoint id as associated data)
 * under the webhook key, and only the sealed form is stored. The key is
 * SIGILL_WEBHOOK_KEY (base64url of 32 bytes; set it on every process when they run on
 * several hosts), or else a key file `webhook.key` (mode 0600) made once in the data
 * folder, never beside the rows in the database. Losing the key makes the endpoints
 * unusable (rotate their secrets), never readable.
 */
export interface EndpointSecret {
  secret: string;
  /** Null for the current secret; a rotated-out one keeps signing until then. */
  expiresAt: number | null;
}

/** How long a rotated-out secret keeps signing beside the new one. */
export const rotationOverlapMs = 24 * 3600_000;

export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The secret's key bytes: the base64 after `whsec_`. */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

export function webhookKey(config: Pick<Config, 'webhookKey' | 'dataDir'>): Buffer {
  return configuredKey(config.webhookKey, config.dataDir, 'webhook.key');
}

export function sealSecrets(key: Buffer, endpointId: string, secrets: EndpointSecret[]): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([nonce, cipher.update(JSON.stringify(secrets)), cipher.final(), cipher.getAuthTag()]);
  return encodeBase64url(sealed);
}

export function openSecrets(key: Buffer, endpointId: string, sealed: string): EndpointSecret[] {
  const bytes = Buffer.from(decodeBase64url(sealed));
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8')) as EndpointSecret[];
}

/** The secrets that sign at `now`: the current one and any rotated out less than a day ago. */
export function signingSecrets(secrets: EndpointSecret[], now: number): EndpointSecret[] {
  return secrets.filter((entry) => entry.expiresAt === null || entry.expiresAt > now);
}

/** Rotation: a new current secret; the old current one keeps signing for `rotationOverlapMs`. */
export function rotate(secrets: EndpointSecret[], now: number): { secrets: EndpointSecret[]; secret: string } {
  const secret = newSecret();
  const kept = signingSecrets(secrets, now).map((entry) => ({ secret: entry.secret, expiresAt: entry.expiresAt ?? now + rotationOverlapMs }));
  return { secrets: [{ secret, expiresAt: null }, ...kept], secret };
}
