/**
 * The simulator's two error types: `RpApiError` becomes BankID's `{errorCode, details}` answer on
 * the RP API; `TestAppError` is what the test app and its control API refuse with.
 */
export class RpApiError extends Error {
  override readonly name = 'RpApiError';
  constructor(
    readonly httpStatus: 400 | 401 | 403 | 404 | 405 | 408 | 415 | 429 | 500 | 503,
    readonly errorCode: string,
    readonly details: string,
  ) {
    super(`${httpStatus} ${errorCode}: ${details}`);
  }
}

export type TestAppErrorCode =
  | 'qr_malformed'
  | 'qr_unknown'
  | 'qr_auth_code_invalid'
  | 'qr_too_old'
  | 'qr_not_yet_valid'
  | 'auto_start_token_unknown'
  | 'order_unknown'
  | 'order_not_pending'
  | 'order_already_started'
  | 'order_not_started'
  | 'personal_number_mismatch'
  | 'request_invalid';

const statusByCode: Record<TestAppErrorCode, 400 | 404 | 409> = {
  qr_malformed: 400,
  qr_unknown: 404,
  qr_auth_code_invalid: 400,
  qr_too_old: 400,
  qr_not_yet_valid: 400,
  auto_start_token_unknown: 404,
  order_unknown: 404,
  order_not_pending: 409,
  order_already_started: 409,
  order_not_started: 409,
  personal_number_mismatch: 409,
  request_invalid: 400,
};

export class TestAppError extends Error {
  override readonly name = 'TestAppError';
  constructor(
    readonly code: TestAppErrorCode,
    message: string,
  ) {
    super(message);
  }

  get httpStatus(): 400 | 404 | 409 {
    return statusByCode[this.code];
  }
}
