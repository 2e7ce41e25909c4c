import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the gateway holds while it works on one mail: a sender API token for that
 * sender, valid 15 minutes, made and checked by the server alone (an HMAC under the
 * gateway key, nothing stored): `sgg_<senderId>.<expiresAt ms>.<mac>`. A crashed gateway
 * leaves nothing live behind for long.
 *
 * @example
 * const token = gatewayToken(key, senderId, Date.now());
 * gatewayTokenSender(key, token, Date.now()) // senderId
 */
export const gatewayTokenPrefix = 'sgg_';
export const gatewayTokenMs = 15 * 60_000;

const macOf = (key: string, body: string) => createHmac('sha256', key).update(`sigill/v1/gateway-token\0${body}`).digest('base64url');

export function gatewayToken(key: string, senderId: string, now: number): string {
  const body = `${senderId}.${now + gatewayTokenMs}`;
  return `${gatewayTokenPrefix}${body}.${macOf(key, body)}`;
}

/** The sender id of a live gateway token, or undefined. */
export function gatewayTokenSender(key: string, token: string, now: number): string | undefined {
  if (!key || !token.startsWith(gatewayTokenPrefix)) return undefined;
  const parts = token.slice(gatewayTokenPrefix.length).split('.');
  if (parts.length !== 3) return undefined;
  const [senderId, expires, mac] = parts as [string, string, string];
  const expected = Buffer.from(macOf(key, `${senderId}.${expires}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return Number(expires) > now ? senderId : undefined;
}

/** HMAC under the gateway key, for what the database must not hold in the clear (a From address, a Message-ID). */
export function gatewayHash(key: string, purpose: 'from' | 'mail', value: string): string {
  return createHmac('sha256', key).update(`sigill/v1/gateway-${purpose}\0${value}`).digest('base64url');
}
