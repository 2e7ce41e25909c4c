/**
 * Reads RP API response bodies into typed values. Statuses are a closed set; hint codes are
 * open and kept as sent. A body that does not have BankID's shape is a `response_invalid` error.
 */
import { BankIdError } from './errors.js';
import type { CollectResponse, CompletionData, OrderResponse, PhoneOrderResponse } from './types.js';

type Fields = Record<string, unknown>;

function fail(what: string): never {
  throw new BankIdError('response_invalid', `BankID answered with an unexpected body: ${what}`);
}

function fields(body: unknown, what: string): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(`${what} is not an object`);
  return body as Fields;
}

function text(source: Fields, name: string, what: string): string {
  const value = source[name];
  if (typeof value !== 'string' || value.length === 0) fail(`${what}.${name} is missing`);
  return value;
}

export function readOrderResponse(body: unknown): OrderResponse {
  const source = fields(body, 'order');
  return {
    orderRef: text(source, 'orderRef', 'order'),
    autoStartToken: text(source, 'autoStartToken', 'order'),
    qrStartToken: text(source, 'qrStartToken', 'order'),
    qrStartSecret: text(source, 'qrStartSecret', 'order'),
  };
}

export function readPhoneOrderResponse(body: unknown): PhoneOrderResponse {
  return { orderRef: text(fields(body, 'order'), 'orderRef', 'order') };
}

function readCompletionData(body: unknown): CompletionData {
  const source = fields(body, 'completionData');
  const user = fields(source.user, 'completionData.user');
  const device = fields(source.device, 'completionData.device');
  const completionData: CompletionData = {
    user: {
      personalNumber: text(user, 'personalNumber', 'user'),
      name: text(user, 'name', 'user'),
      givenName: text(user, 'givenName', 'user'),
      surname: text(user, 'surname', 'user'),
    },
    device: { ipAddress: text(device, 'ipAddress', 'device'), uhi: text(device, 'uhi', 'device') },
    bankIdIssueDate: text(source, 'bankIdIssueDate', 'completionData'),
    signature: text(source, 'signature', 'completionData'),
    ocspResponse: text(source, 'ocspResponse', 'completionData'),
  };
  if (source.stepUp !== undefined) {
    const stepUp = fields(source.stepUp, 'completionData.stepUp');
    if (typeof stepUp.mrtd !== 'boolean') fail('completionData.stepUp.mrtd is not a boolean');
    completionData.stepUp = { mrtd: stepUp.mrtd };
  }
  if (typeof source.risk === 'string') completionData.risk = source.risk;
  return completionData;
}

export function readCollectResponse(body: unknown): CollectResponse {
  const source = fields(body, 'collect');
  const orderRef = text(source, 'orderRef', 'collect');
  switch (source.status) {
    case 'pending':
      return { orderRef, status: 'pending', hintCode: text(source, 'hintCode', 'collect') };
    case 'failed':
      return { orderRef, status: 'failed', hintCode: text(source, 'hintCode', 'collect') };
    case 'complete':
      return { orderRef, status: 'complete', completionData: readCompletionData(source.completionData) };
    default:
      return fail('collect.status is not pending, failed or complete');
  }
}

/**
 * Reads `bankIdIssueDate` leniently: BankID documents `YYYY-MM-DD` but has sent `2023-11-29Z`.
 * Returns midnight UTC of that date.
 */
export function parseBankIdIssueDate(value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (match === null) throw new BankIdError('response_invalid', 'bankIdIssueDate is not YYYY-MM-DD');
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCDate() !== Number(day)) throw new BankIdError('response_invalid', 'bankIdIssueDate is not a date');
  return date;
}
