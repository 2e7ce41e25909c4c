/**
 * Checks RP API request bodies field by field, with BankID's documented limits. The client runs
 * these before sending; the simulator runs the same checks and answers 400 invalidParameters.
 * Problems name the field and the rule, never the value.
 *
 * @example
 * const checked = checkOrderRequest('auth', { endUserIp: '192.0.2.1' });
 * if (!checked.ok) console.log(checked.problems); // e.g. ['returnUrl: 1–512 characters']
 */
import { isIP } from 'node:net';
import Personnummer from 'personnummer';
import type { OrderPath } from './types.js';

/** BankID's length limits, counted in characters after base64 where the field is base64. */
export const bankIdLimits = {
  authUserVisibleData: 1_500,
  authUserNonVisibleData: 1_500,
  signUserVisibleData: 40_000,
  signUserNonVisibleData: 200_000,
  returnUrl: 512,
  userAgent: 256,
} as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

type Fields = Record<string, unknown>;

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const policyPattern = /^\d+(?:\.\d+)*(?:\.\*)?$/;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a valid 12-digit personal or coordination number (`YYYYMMDDNNNC`). */
export function isPersonalNumber(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{12}$/.test(value) &&
    Personnummer.valid(value, { allowCoordinationNumber: true, allowInterimNumber: false })
  );
}

function checkBase64(fields: Fields, name: string, max: number, required: boolean, problems: string[]): void {
  const value = fields[name];
  if (value === undefined) {
    if (required) problems.push(`${name}: required`);
    return;
  }
  if (typeof value !== 'string' || !base64Pattern.test(value)) problems.push(`${name}: not base64`);
  else if (value.length < 1 || value.length > max) problems.push(`${name}: 1–${max} characters`);
}

function checkString(fields: Fields, name: string, label: string, max: number, problems: string[]): void {
  const value = fields[name];
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    problems.push(`${label}: 1–${max} characters`);
  }
}

function checkBoolean(fields: Fields, name: string, label: string, problems: string[]): void {
  if (fields[name] !== undefined && typeof fields[name] !== 'boolean') problems.push(`${label}: not a boolean`);
}

function checkRequirement(value: unknown, phone: boolean, problems: string[]): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problems.push('requirement: not an object');
    return;
  }
  const allowed = phone ? ['pinCode', 'certificatePolicies'] : ['pinCode', 'mrtd', 'cardReader', 'certificatePolicies', 'personalNumber'];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`requirement.${key}: not allowed here`);
  }
  checkBoolean(value, 'pinCode', 'requirement.pinCode', problems);
  checkBoolean(value, 'mrtd', 'requirement.mrtd', problems);
  if (value.cardReader !== undefined && value.cardReader !== 'class1' && value.cardReader !== 'class2') {
    problems.push('requirement.cardReader: class1 or class2');
  }
  if (value.personalNumber !== undefined && !isPersonalNumber(value.personalNumber)) {
    problems.push('requirement.personalNumber: not a valid 12-digit personal number');
  }
  const policies = value.certificatePolicies;
  if (policies !== undefined) {
    const valid =
      Array.isArray(policies) &&
      policies.length > 0 &&
      policies.every((policy) => typeof policy === 'string' && policyPattern.test(policy) && wildcardFromFifthArc(policy));
    if (!valid) problems.push('requirement.certificatePolicies: OIDs, a trailing * only from the 5th arc');
  }
}

function wildcardFromFifthArc(policy: string): boolean {
  return !policy.endsWith('*') || policy.split('.').length >= 5;
}

function checkDeviceData(fields: Fields, problems: string[]): void {
  if (fields.app !== undefined && fields.web !== undefined) problems.push('app, web: send only one');
  if (fields.app !== undefined) {
    if (!isRecord(fields.app)) problems.push('app: not an object');
    else for (const name of ['appIdentifier', 'deviceOS', 'deviceModelName', 'deviceIdentifier']) {
      checkString(fields.app, name, `app.${name}`, 1_000, problems);
    }
  }
  if (fields.web !== undefined) {
    if (!isRecord(fields.web)) problems.push('web: not an object');
    else {
      checkString(fields.web, 'referringDomain', 'web.referringDomain', 253, problems);
      checkString(fields.web, 'userAgent', 'web.userAgent', bankIdLimits.userAgent, problems);
      checkString(fields.web, 'deviceIdentifier', 'web.deviceIdentifier', 1_000, problems);
    }
  }
}

function checkCommon(fields: Fields, sign: boolean, problems: string[]): void {
  const visibleMax = sign ? bankIdLimits.signUserVisibleData : bankIdLimits.authUserVisibleData;
  const nonVisibleMax = sign ? bankIdLimits.signUserNonVisibleData : bankIdLimits.authUserNonVisibleData;
  checkBase64(fields, 'userVisibleData', visibleMax, sign, problems);
  checkBase64(fields, 'userNonVisibleData', nonVisibleMax, false, problems);
  const format = fields.userVisibleDataFormat;
  if (format !== undefined && format !== 'simpleMarkdownV1') problems.push('userVisibleDataFormat: simpleMarkdownV1');
  if (format !== undefined && fields.userVisibleData === undefined) problems.push('userVisibleDataFormat: needs userVisibleData');
}

/** Checks the body of `/auth`, `/sign`, `/phone/auth` or `/phone/sign`. */
export function checkOrderRequest<T>(path: OrderPath, body: unknown): Checked<T> {
  if (!isRecord(body)) return { ok: false, problems: ['body: not a JSON object'] };
  const problems: string[] = [];
  const phone = path.startsWith('phone/');
  checkCommon(body, path.endsWith('sign'), problems);
  checkRequirement(body.requirement, phone, problems);
  if (phone) {
    if (!isPersonalNumber(body.personalNumber)) problems.push('personalNumber: not a valid 12-digit personal number');
    if (body.callInitiator !== 'user' && body.callInitiator !== 'RP') problems.push('callInitiator: user or RP');
  } else {
    if (typeof body.endUserIp !== 'string' || isIP(body.endUserIp) === 0) problems.push('endUserIp: not an IP address');
    if (body.returnUrl !== undefined) checkString(body, 'returnUrl', 'returnUrl', bankIdLimits.returnUrl, problems);
    checkBoolean(body, 'returnRisk', 'returnRisk', problems);
    checkDeviceData(body, problems);
  }
  return problems.length === 0 ? { ok: true, value: body as T } : { ok: false, problems };
}

/** Checks the body of `/collect` and `/cancel`. */
export function checkOrderRefRequest(body: unknown): Checked<{ orderRef: string }> {
  if (!isRecord(body)) return { ok: false, problems: ['body: not a JSON object'] };
  const orderRef = body.orderRef;
  if (typeof orderRef !== 'string' || orderRef.length < 1 || orderRef.length > 100) {
    return { ok: false, problems: ['orderRef: required'] };
  }
  return { ok: true, value: { orderRef } };
}
