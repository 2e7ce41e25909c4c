/**
 * BankID's animated QR code. The content changes every second:
 * `bankid.<qrStartToken>.<qrTime>.<qrAuthCode>`, where `qrTime` is whole seconds since the
 * order was started and `qrAuthCode` is hex HMAC-SHA256 keyed with the `qrStartSecret` string.
 * Compute it on the server; `qrStartSecret` never goes to the browser.
 *
 * @example
 * qrData({ qrStartToken, qrStartSecret, qrTime: qrTimeAt(order.startedAt, clock.now()) })
 * // 'bankid.67df3917-….0.dc69358e…'
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface QrInput {
  qrStartToken: string;
  qrStartSecret: string;
  /** Whole seconds since the auth/sign answer was received. */
  qrTime: number;
}

export interface ParsedQrData {
  qrStartToken: string;
  qrTime: number;
  qrAuthCode: string;
}

/** Whole seconds (floored) from `startedAt` to `now`, both in epoch milliseconds. */
export function qrTimeAt(startedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - startedAt) / 1_000));
}

export function qrAuthCode(qrStartSecret: string, qrTime: number): string {
  return createHmac('sha256', qrStartSecret).update(String(qrTime)).digest('hex');
}

export function qrData({ qrStartToken, qrStartSecret, qrTime }: QrInput): string {
  if (!Number.isSafeInteger(qrTime) || qrTime < 0) throw new RangeError('qrTime must be a whole number of seconds');
  if (qrStartToken.length === 0 || qrStartSecret.length === 0) throw new RangeError('qrStartToken and qrStartSecret are required');
  return `bankid.${qrStartToken}.${qrTime}.${qrAuthCode(qrStartSecret, qrTime)}`;
}

const qrPattern = /^bankid\.([0-9A-Za-z-]+)\.(0|[1-9]\d{0,8})\.([0-9a-f]{64})$/;

/** Splits QR content into its parts; undefined when it is not BankID QR content. */
export function parseQrData(text: string): ParsedQrData | undefined {
  const match = qrPattern.exec(text.trim());
  if (match === null) return undefined;
  const [, qrStartToken, time, code] = match as unknown as [string, string, string, string];
  return { qrStartToken, qrTime: Number(time), qrAuthCode: code };
}

/** True when `qrAuthCode` is the HMAC of `qrTime` under `qrStartSecret` (constant time). */
export function isQrAuthCodeValid(qrStartSecret: string, parsed: ParsedQrData): boolean {
  const expected = Buffer.from(qrAuthCode(qrStartSecret, parsed.qrTime), 'hex');
  const given = Buffer.from(parsed.qrAuthCode, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
