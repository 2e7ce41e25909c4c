import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the gateway holds while it works on one mail: a sender API token for that
 * sender (and the toolbox user the From address belongs to, if any, so the message is
 * theirs in the sent log), valid 15 minutes, made and checked by the server alone (an
 * HMAC under the gateway key, nothing stored): `sgg_<senderId>.<userId or ->.<expiresAt
 * ms>.<mac>`. A crashed gateway leaves nothing live behind for long.
 *
 * @example
 * const token = gatewayToken(key, { senderId, userId: null }, Date.now());
 * gatewayTokenOwner(key, token, Date.now()) // { senderId, userId: null }
 */
export const gatewayTokenPrefix = 'sgg_';
export const gatewayTokenMs = 15 * 60_000;

const macOf = (key: string, body: string) => createHmac('sha256', key).update(`sigill/v1/gateway-token\0${body}`).digest('base64url');

export interface GatewayTokenOwner {
  senderId: string;
  userId: string | null;
}

export function gatewayToken(key: string, owner: GatewayTokenOwner, now: number): string {
  const body = `${owner.senderId}.${owner.userId ?? '-'}.${now + gatewayTokenMs}`;
  return `${gatewayTokenPrefix}${body}.${macOf(key, body)}`;
}

/** Whom a live gateway token acts for, or undefined. */
export function gatewayTokenOwner(key: string, token: string, now: number): GatewayTokenOwner | undefined {
  if (!key || !token.startsWith(gatewayTokenPrefix)) return undefined;
  const parts = token.slice(gatewayTokenPrefix.length).split('.');
  if (parts.length !== 4) return undefined;
  const [senderId, userId, expires, mac] = parts as [string, string, string, string];
  const expected = Buffer.from(macOf(key, `${senderId}.${userId}.${expires}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return Number(expires) > now ? { senderId, userId: userId === '-' ? null : userId } : undefined;
}

/** HMAC under the gateway key, for what the database must not hold in the clear (a From address, a Message-ID). */
export function gatewayHash(key: string, purpose: 'from' | 'mail', value: string): string {
  return createHmac('sha256', key).update(`sigill/v1/gateway-${purpose}\0${value}`).digest('base64url');
}
