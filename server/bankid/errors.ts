/**
 * `BankIdError`: every failure of a BankID call, with a stable snake_case `code` to branch on,
 * BankID's own `httpStatus`, `errorCode` and `details` when BankID answered, and whether BankID
 * allows a retry. Messages and `details` never carry a personal number, orderRef, token or secret.
 *
 * @example
 * try { await client.auth({ endUserIp }) }
 * catch (error) { if (error instanceof BankIdError && error.code === 'already_in_progress') … }
 */
export type BankIdErrorCode =
  // BankID answered with an error status.
  | 'already_in_progress'
  | 'invalid_parameters'
  | 'bankid_error' // a 400 errorCode this client does not know
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'internal_error'
  | 'maintenance'
  | 'unexpected_status'
  // The call never got a usable answer.
  | 'request_invalid' // refused by this client before sending
  | 'client_certificate_invalid'
  | 'tls_error'
  | 'network_error'
  | 'timeout'
  | 'response_invalid';

export interface BankIdErrorInit {
  httpStatus?: number;
  errorCode?: string;
  details?: string;
  cause?: unknown;
}

export class BankIdError extends Error {
  override readonly name = 'BankIdError';
  readonly code: BankIdErrorCode;
  /** The HTTP status BankID answered with; undefined when there was no HTTP answer. */
  readonly httpStatus: number | undefined;
  /** BankID's `errorCode` as sent (camelCase, an open set). */
  readonly errorCode: string | undefined;
  /** BankID's `details`, scrubbed of anything that looks like an identifier. */
  readonly details: string | undefined;

  constructor(code: BankIdErrorCode, message: string, init: BankIdErrorInit = {}) {
    super(scrubIdentifiers(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.httpStatus = init.httpStatus;
    this.errorCode = init.errorCode;
    this.details = init.details === undefined ? undefined : scrubIdentifiers(init.details).slice(0, 200);
  }

  /** BankID allows a silent retry only for 503 maintenance. */
  get retryable(): boolean {
    return this.code === 'maintenance';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      errorCode: this.errorCode,
      details: this.details,
    };
  }
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const personalNumberPattern = /\d{6,8}[-+]?\d{4}|\d{6,}/g;
const tokenPattern = /[A-Za-z0-9+/_=-]{24,}/g;
/** OpenSSL and Node error codes such as UNABLE_TO_VERIFY_LEAF_SIGNATURE stay readable. */
const systemErrorCodePattern = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/**
 * Replaces UUIDs (orderRef, tokens, secrets), digit runs (personal numbers) and long
 * token-like strings with `[redacted]`.
 */
export function scrubIdentifiers(text: string): string {
  return text
    .replace(uuidPattern, '[redacted]')
    .replace(personalNumberPattern, '[redacted]')
    .replace(tokenPattern, (match) => (systemErrorCodePattern.test(match) ? match : '[redacted]'));
}

const errorCodeByStatus: Record<number, BankIdErrorCode> = {
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'maintenance',
};

/** Maps BankID's HTTP error answer to the client's error code. */
export function codeForHttpError(httpStatus: number, errorCode: string | undefined): BankIdErrorCode {
  if (httpStatus === 400) {
    if (errorCode === 'alreadyInProgress') return 'already_in_progress';
    if (errorCode === 'invalidParameters') return 'invalid_parameters';
    return 'bankid_error';
  }
  return errorCodeByStatus[httpStatus] ?? 'unexpected_status';
}
