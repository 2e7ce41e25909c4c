import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { FormatError } from '../../shared/errors.js';
import { BankIdError } from '../bankid/index.js';
import { AppError } from '../errors.js';
import { StoreError, type StoreErrorCode } from '../store/errors.js';
import { setHeader } from './headers.js';

/**
 * Store errors as the API answers them; a payload longer than declared is
 * `payload_too_large`, one shorter is `payload_length_mismatch`.
 */
const storeErrors: Record<StoreErrorCode, { status: ContentfulStatusCode; code: string }> = {
  payload_exists: { status: 409, code: 'payload_exists' },
  payload_too_long: { status: 413, code: 'payload_too_large' },
  length_mismatch: { status: 400, code: 'payload_length_mismatch' },
  not_found: { status: 404, code: 'payload_not_found' },
  message_exists: { status: 409, code: 'message_exists' },
  link_exists: { status: 409, code: 'link_exists' },
  conflict: { status: 409, code: 'conflict' },
  user_exists: { status: 409, code: 'user_exists' },
  passkey_exists: { status: 409, code: 'passkey_exists' },
  aborted: { status: 400, code: 'request_aborted' },
  unavailable: { status: 503, code: 'store_unavailable' },
};

/**
 * BankID errors caused by what the caller sent (refused before sending, or BankID's 400
 * invalidParameters): a 400 `bankid_request_invalid` or `bankid_invalid_parameters`.
 * Every other BankID failure means BankID is down or unreachable: 503.
 */
const callersFault = new Set<BankIdError['code']>(['request_invalid', 'invalid_parameters']);

/** An error as the API answers it: status, `{"error":{"code","message"}}` and any headers the error names. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: { error: { code: string; message: string } };
  headers?: Record<string, string>;
}

const answer = (status: ContentfulStatusCode, code: string, message: string, headers?: Record<string, string>): ErrorAnswer => ({
  status,
  body: { error: { code, message } },
  ...(headers ? { headers } : {}),
});

/**
 * The one mapping from errors to answers, for Hono's `app.onError` (errorHandler) and
 * the payload route served before Hono (links/payload-listener.ts).
 */
export function errorAnswer(error: Error, requestId: string | undefined, logger: Logger): ErrorAnswer {
  if (error instanceof AppError) return answer(error.status, error.code, error.message, error.headers);
  if (error instanceof StoreError) {
    const { status, code } = storeErrors[error.code];
    if (status !== 503) return answer(status, code, error.message);
    // An unreachable store's own message may name hosts or settings: say only what to do.
    logger.error({ requestId, event: 'store_unavailable' }, 'store unavailable');
    return answer(status, code, 'storage cannot be reached right now; try again in a minute');
  }
  if (error instanceof FormatError) return answer(400, error.code, error.message);
  if (error instanceof HTTPException) {
    const code = error.status === 400 ? 'invalid_json' : error.status === 413 ? 'body_too_large' : 'bad_request';
    const message = error.status === 400 ? 'the request body is not valid JSON' : error.message;
    return answer(error.status, code, message);
  }
  if (error instanceof BankIdError && callersFault.has(error.code)) {
    logger.info({ requestId, event: 'bankid_refused', code: error.code, httpStatus: error.httpStatus }, 'BankID refused the request');
    return answer(400, `bankid_${error.code}`, 'BankID refused this request as invalid; check what was entered and try again');
  }
  if (error instanceof BankIdError) {
    logger.warn({ requestId, event: 'bankid_error', code: error.code, httpStatus: error.httpStatus }, 'BankID call failed');
    return answer(503, 'bankid_unavailable', 'BankID cannot be reached right now; try again in a minute');
  }
  // The code (SQLITE_BUSY, ECONNRESET, …) names the cause; the message may hold data, so it stays out.
  const code: unknown = (error as Error & { code?: unknown }).code;
  const errorCode = typeof code === 'string' ? code : undefined;
  logger.error({ requestId, event: 'internal_error', errorName: error.name, errorCode, stack: error.stack?.split('\n').slice(1, 6).join('\n') }, 'unexpected error');
  return answer(500, 'internal_error', `something went wrong on our side (request ${requestId ?? '?'})`);
}

/** The one place Hono's errors become responses: `{"error":{"code","message"}}`. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context) => {
    const { status, body, headers } = errorAnswer(error, c.get('requestId') as string | undefined, logger);
    for (const name in headers) setHeader(c, name, headers[name]!);
    return c.json(body, status);
  };
}
