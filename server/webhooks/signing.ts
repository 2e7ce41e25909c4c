import { createHmac } from 'node:crypto';
import { secretKey } from './secrets.js';

/**
 * Standard Webhooks v1 signing: `v1,` + base64 HMAC-SHA256 over `${id}.${timestamp}.${body}`
 * keyed with the base64-decoded bytes after `whsec_`; one entry per signing secret,
 * space-separated (several during a rotation).
 *
 * @example
 * signatureHeader('msg_…', 1767225600, '{"type":"webhook.test",…}', ['whsec_…']); // 'v1,K5oZ…='
 */
export function signatureHeader(id: string, timestamp: number, body: string, secrets: string[]): string {
  return secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`).join(' ');
}

export function webhookHeaders(id: string, timestamp: number, body: string, secrets: string[]): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(id, timestamp, body, secrets),
  };
}
